/**
 * Which of an execution's declared outputs were published (a value or a
 * failure), and which names were published that are not declared (a
 * replica may be fed any). Outputs mostly come in declaration order, so
 * the one after the last is tried before the name's index.
 */
/** Each output's index in a list of output names (the first, for a name listed twice), per list: a plan's list serves all its executions. */
const indexes = new WeakMap<ReadonlyArray<string>, ReadonlyMap<string, number>>()

const indexOf = (outputs: ReadonlyArray<string>): ReadonlyMap<string, number> => {
  let index = indexes.get(outputs)
  if (index === undefined) {
    const made = new Map<string, number>()
    for (let i = 0; i < outputs.length; i++) if (!made.has(outputs[i]!)) made.set(outputs[i]!, i)
    indexes.set(outputs, made)
    index = made
  }
  return index
}

export class PublishedOutputs {
  /** Whether each declared output was published, by its index in `outputs`. */
  private readonly emitted: Uint8Array
  private readonly index: ReadonlyMap<string, number>
  /** Published names that are not declared outputs. */
  private other: Set<string> | undefined
  /** The index after the output published last. */
  private nextGuess = 0

  constructor(private readonly outputs: ReadonlyArray<string>) {
    this.index = indexOf(outputs)
    this.emitted = new Uint8Array(outputs.length)
  }

  /** `name` was published. */
  mark(name: string): void {
    const next = this.nextGuess
    const i = this.outputs[next] === name ? next : this.index.get(name)
    if (i === undefined) return void (this.other ??= new Set()).add(name)
    this.emitted[i] = 1
    this.nextGuess = i + 1
  }

  /** Whether `name` was published. */
  has(name: string): boolean {
    const i = this.index.get(name)
    return i === undefined ? this.other?.has(name) === true : this.emitted[i] === 1
  }

  /** The declared outputs not published (yet), in declaration order. */
  missing(): Array<string> {
    return this.outputs.filter((n) => !this.has(n))
  }
}
