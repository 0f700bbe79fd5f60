/**
 * An integer with its thousands separated by commas (1000000 ->
 * "1,000,000"), as `toLocaleString("en-US")` writes it, without loading
 * ICU's number-format data: that costs a process about 5 MB of memory
 * for as long as it lives.
 */
export const groupDigits = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",")
