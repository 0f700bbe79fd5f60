/**
 * The log's bookkeeping of published outputs (flags by declared output,
 * names it was not told of as well) and `publishOwned`, which takes a
 * batch step's list of results as its own: readers attached afterwards see
 * exactly what `publish` would have given them.
 */
import { describe, expect, it } from "vitest"
import type { ExecutionEvent } from "../../src/runtime/ExecutionEvent.js"
import { ExecutionLog } from "../../src/runtime/ExecutionLog.js"
import type { LogWriter } from "../../src/runtime/ExecutionLog.js"

const base = { executionId: "x", seq: -1, timestamp: 5 }
const ok = (name: string, isFinal = false): ExecutionEvent => ({ _tag: "Output", ...base, name, value: name, fromFallback: false, isFinal })
const failed = (name: string): ExecutionEvent =>
  ({ _tag: "OutputFailed", ...base, name, error: { code: "boom", message: "boom", module: "M" }, isFinal: false })
const started = (): ExecutionEvent => ({ _tag: "ModuleStarted", ...base, module: "M", node: 0 })

const collect = (log: ExecutionLog, after?: number) => {
  const written: Array<ExecutionEvent> = []
  const writer: LogWriter = { write: (e) => void written.push(e), hasRoom: () => true, onRoom: () => () => {} }
  log.read(writer, { after })
  return written
}

/** What a reader sees of `steps` published by `publish` and by `publishOwned`, and what the log says. */
const both = (outputs: ReadonlyArray<string>, steps: () => ReadonlyArray<Array<ExecutionEvent>>) =>
  (["publish", "publishOwned"] as const).map((how) => {
    const log = new ExecutionLog("x", outputs, () => 9)
    for (const step of steps()) log[how](step)
    return {
      seen: collect(log).map((e) => [e._tag, e.seq, "name" in e ? e.name : undefined]),
      missing: log.missing(),
      succeeded: log.succeeded,
      finished: log.finished,
      published: ["a", "b", "c", "zz"].map((n) => log.published(n))
    }
  })

describe("ExecutionLog", () => {
  it("publishOwned: the first step of results, taken as it is", () => {
    const [plain, owned] = both(["a", "b", "c"], () => [[ok("a"), failed("b")], [ok("c", true)]])
    expect(owned).toEqual(plain)
    expect(owned!.seen).toEqual([["Output", 0, "a"], ["OutputFailed", 1, "b"], ["Output", 2, "c"]])
    expect(owned!.published).toEqual([true, true, true, false])
  })

  it("publishOwned: nothing after the final event", () => {
    const [plain, owned] = both(["a", "b"], () => [[ok("a", true), ok("b")]])
    expect(owned).toEqual(plain)
    expect(owned!.seen).toEqual([["Output", 0, "a"]])
    expect(owned!.missing).toEqual(["b"])
  })

  it("publishOwned: a step with module events goes through publish", () => {
    const [plain, owned] = both(["a"], () => [[started(), ok("a", true)]])
    expect(owned).toEqual(plain)
    expect(owned!.seen.map((s) => s[0])).toEqual(["ModuleStarted", "Output"])
  })

  it("publishOwned with a reader attached: as publish, event by event", () => {
    const log = new ExecutionLog("x", ["a", "b"], () => 9)
    const early = collect(log)
    log.publishOwned([ok("a"), ok("b", true)])
    expect(early.map((e) => e.seq)).toEqual([0, 1])
    expect(collect(log, 0).map((e) => e.seq)).toEqual([1])
  })

  it("an output it was not told of (a replica's feed) still counts as published", () => {
    const log = new ExecutionLog("x", ["a", "a"], () => 9)
    log.replicate({ ...ok("zz"), seq: 3 })
    expect(log.published("zz")).toBe(true)
    expect(log.missing()).toEqual(["a", "a"])
    log.publish([ok("a", true)])
    expect(log.missing()).toEqual([])
  })
})
