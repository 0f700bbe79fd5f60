/**
 * Module faults under load: many executions (SSE, batch and WebSocket) of
 * one pipeline where every kind of faulty module (see `faultModules.ts`)
 * sits among healthy ones. Each fault must become an error event with its
 * code for its own outputs, `upstream_failed` for what depends on it; the
 * healthy outputs must arrive; nothing may be left running.
 */
import { http, sse, wsConnect } from "../clients.js"
import { eventually } from "../measure.js"
import type { LoopFigures, Memory, Target } from "../target.js"

/** Each fault, the `with` options of its call, and the error code its output must get. */
export const faults: ReadonlyArray<readonly [string, string, string]> = [
  ["Fails", "", "boom"],
  ["Throws", "", "module_defect"],
  ["ThrowsSync", "", "module_defect"],
  ["ThrowsString", "", "module_defect"],
  ["Dies", "", "module_defect"],
  ["DiesLater", "", "module_defect"],
  ["Hangs", " with timeout: 100ms", "timeout"],
  ["HangsPromise", " with timeout: 100ms, retry: 1", "timeout"],
  ["WrongType", "", "invalid_result"],
  ["WrongTypeSync", "", "invalid_result"],
  ["ReturnsUndefined", "", "invalid_result"],
  ["FailsHostile", "", "module_failed"],
  ["DiesHostile", "", "module_defect"],
  ["ThrowsHostile", "", "module_defect"]
]

const lower = (name: string) => name[0]!.toLowerCase() + name.slice(1)

/** Every fault, an output depending on each, a fallback over one, and healthy outputs before and after. */
export const faultPipeline = [
  "in t: String",
  "first = Uppercase(t)",
  ...faults.map(([m, options]) => `${lower(m)} = ${m}(t)${options}`),
  ...faults.map(([m]) => `${lower(m)}Next = Concat("\${${lower(m)}}", t)`),
  "rescued = Dies(t) with fallback: \"safe\"",
  "late = Delay(Concat(t, \"!\"), 300)",
  "out first",
  ...faults.map(([m]) => `out ${lower(m)}`),
  ...faults.map(([m]) => `out ${lower(m)}Next`),
  "out rescued",
  "out late"
].join("\n")

/** What each output of `faultPipeline` must be, run with `t`. */
export const expectedOutputs = (t: string): Readonly<Record<string, { readonly code?: string; readonly value?: unknown }>> => ({
  first: { value: t.toUpperCase() },
  rescued: { value: "safe" },
  late: { value: `${t}!` },
  ...Object.fromEntries(faults.map(([m, , code]) => [lower(m), { code }])),
  ...Object.fromEntries(faults.map(([m]) => [`${lower(m)}Next`, { code: "upstream_failed" }]))
})

type Outcome = { readonly value: unknown } | { readonly code: string }

/** The differences between what arrived and what must have: empty when right. */
export const compareOutputs = (t: string, got: ReadonlyMap<string, Outcome>): ReadonlyArray<string> => {
  const wrong: Array<string> = []
  const expected = expectedOutputs(t)
  for (const [name, want] of Object.entries(expected)) {
    const outcome = got.get(name)
    if (outcome === undefined) wrong.push(`${name}: missing`)
    else if (want.code !== undefined && !("code" in outcome && outcome.code === want.code)) wrong.push(`${name}: ${JSON.stringify(outcome)}, not ${want.code}`)
    else if (want.code === undefined && !("value" in outcome && JSON.stringify(outcome.value) === JSON.stringify(want.value))) {
      wrong.push(`${name}: ${JSON.stringify(outcome)}, not ${JSON.stringify(want.value)}`)
    }
  }
  if (got.size !== Object.keys(expected).length) wrong.push(`${got.size} outputs, not ${Object.keys(expected).length}`)
  return wrong
}

const outcomeOf = (data: Record<string, unknown>): Outcome =>
  "error" in data ? { code: String((data["error"] as { code?: unknown }).code) } : { value: data["value"] }

export interface FaultsOptions {
  readonly executions: number
  readonly concurrency: number
}

export interface FaultsReport {
  readonly executions: number
  readonly concurrency: number
  readonly faults: number
  readonly outputsChecked: number
  /** Every output that was not what it must be, by execution. */
  readonly wrong: ReadonlyArray<string>
  readonly loop: LoopFigures
  readonly before: Memory
  readonly after: Memory
  readonly leftover: { readonly engineExecutions: number; readonly runningModules: number }
}

export const moduleFaults = async (target: Target, options: FaultsOptions): Promise<FaultsReport> => {
  const wrong: Array<string> = []
  let outputsChecked = 0
  const check = (i: number, t: string, got: ReadonlyMap<string, Outcome>) => {
    outputsChecked += got.size
    for (const w of compareOutputs(t, got)) wrong.push(`#${i}: ${w}`)
  }
  const one = async (i: number) => {
    const t = `x${i}`
    const body = JSON.stringify({ source: faultPipeline, inputs: { t } })
    switch (i % 3) {
      case 0: {
        const r = await sse(`${target.url}/execute/stream`, body, { timeoutMs: 30_000 })
        if (r.events.filter((e) => e.data["isFinal"] === true).length !== 1) wrong.push(`#${i}: ${r.events.length} events, no single final one`)
        return check(i, t, new Map(r.events.map((e) => [String(e.data["name"]), outcomeOf(e.data)])))
      }
      case 1: {
        const r = await http(`${target.url}/execute`, { method: "POST", headers: { "content-type": "application/json" }, body, timeoutMs: 30_000 })
        const b = JSON.parse(r.body) as { outputs?: Record<string, unknown>; errors?: Record<string, { code: string }> }
        const got = new Map<string, Outcome>([
          ...Object.entries(b.outputs ?? {}).map(([k, value]) => [k, { value }] as const),
          ...Object.entries(b.errors ?? {}).map(([k, e]) => [k, { code: e.code }] as const)
        ])
        return check(i, t, got)
      }
      default: {
        const c = await wsConnect(`${target.wsUrl}/execute/ws`)
        try {
          c.ws.send(JSON.stringify({ id: "f", source: faultPipeline, inputs: { t } }))
          await c.until((f) => f["id"] === "f" && f["isFinal"] === true, 30_000)
          return check(i, t, new Map(c.frames.filter((f) => f["id"] === "f").map((f) => [String(f["name"]), outcomeOf(f)])))
        } finally {
          c.ws.close()
        }
      }
    }
  }
  await one(-1)
  outputsChecked = 0
  const before = await target.memory()
  await target.loopStart()
  let nextIndex = 0
  const worker = async () => {
    while (nextIndex < options.executions) await one(nextIndex++)
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  const loop = await target.loopStop()
  const idle = async () => {
    const e = await target.engine()
    return { engineExecutions: e.activeExecutions, runningModules: e.runningModules }
  }
  await eventually(5_000, async () => Object.values(await idle()).every((n) => n === 0))
  return {
    executions: options.executions,
    concurrency: options.concurrency,
    faults: faults.length,
    outputsChecked,
    wrong,
    loop,
    before,
    after: await target.memory(),
    leftover: await idle()
  }
}
