/**
 * The work of an execution that is ready to run, first in first out (a
 * module node `j` as `j`, an inline data node `d` as `~d`): one buffer of
 * 32-bit integers for the whole execution, sized for its modules, instead
 * of an array that grows, and is dropped, at every step.
 */
export class ReadyQueue {
  private items: Int32Array
  private head = 0
  private tail = 0

  constructor(capacity: number) {
    this.items = new Int32Array(Math.max(capacity, 8))
  }

  /** How many items wait. */
  get size(): number {
    return this.tail - this.head
  }

  push(item: number): void {
    if (this.tail === this.items.length) this.makeRoom()
    this.items[this.tail++] = item
  }

  /** The first item waiting; only when `size > 0`. */
  shift(): number {
    return this.items[this.head++]!
  }

  /** Drops every item waiting. */
  clear(): void {
    this.head = this.tail = 0
  }

  /** The items waiting, in order (a copy). */
  toArray(): Int32Array {
    return this.items.slice(this.head, this.tail)
  }

  /** Moves the waiting items to the front; doubles the buffer when they fill it. */
  private makeRoom(): void {
    const waiting = this.tail - this.head
    if (waiting < this.items.length) {
      this.items.copyWithin(0, this.head, this.tail)
    } else {
      const bigger = new Int32Array(this.items.length * 2)
      bigger.set(this.items.subarray(this.head, this.tail))
      this.items = bigger
    }
    this.head = 0
    this.tail = waiting
  }
}
