/**
 * A generated pipeline of `n` declarations mixing the language's forms
 * (module calls with options, arithmetic, strings, records and field
 * access, list functions), for the load tests and the benchmark.
 */

/** The source, and the 0-based line of value `v{i}` (for edits). */
export const largePipeline = (n: number): { readonly text: string; readonly lineOf: (i: number) => number } => {
  const header = ["@example(\"hello world\")", "in text: String", "@example(3)", "in count: Int", "in scores: List<Int>"]
  const lines = [...header]
  for (let i = 0; i < n; i++) {
    const prev = i === 0 ? "text" : `v${i - 1}`
    switch (i % 5) {
      case 0:
        lines.push(`v${i} = Uppercase(${i === 0 ? "text" : `"\${${prev}}"`})`)
        break
      case 1:
        lines.push(`v${i} = Trim(${prev}) with timeout: 2s, retry: 1`)
        break
      case 2:
        lines.push(`r${i} = {label: ${prev}, n: count + ${i}}`)
        lines[lines.length - 1] += `\nv${i} = r${i}.label`
        break
      case 3:
        lines.push(`v${i} = "\${${prev}}!"`)
        break
      default:
        lines.push(`k${i} = filter(scores, (s) => s > ${i})\nv${i} = Concat(${prev}, "x")`)
    }
  }
  lines.push(`out v${n - 1}`, "out v0", "")
  const text = lines.join("\n")
  const all = text.split("\n")
  return { text, lineOf: (i) => all.findIndex((l) => l.startsWith(`v${i} =`)) }
}
