/**
 * "Run pipeline": compile the document on the server, ask for its inputs
 * (pre-filled from `@example`), then stream the execution and report each
 * event the moment it arrives: outputs with their values, modules with
 * their timings, progress, failures. Aborting the signal closes the
 * stream, which cancels the execution on the server.
 */
import type { ConstellationClient, StreamEvent } from "../../../src/client/index.js"
import { isClientError } from "../../../src/client/index.js"
import { initialText, parseInput } from "./inputValues.mjs"

/** Asks for one input's value as text; `undefined` when the user gives up. */
export type AskInput = (name: string, type: string, initial: string, validate: (text: string) => string | undefined) => Promise<string | undefined>

/** Where the run is reported, line by line, and how far it has got. */
export interface RunView {
  readonly line: (text: string) => void
  readonly progress: (completed: number, total: number) => void
}

export type RunOutcome =
  | { readonly _tag: "Completed"; readonly outputs: number; readonly failed: number; readonly ms: number }
  | { readonly _tag: "Invalid"; readonly diagnostics: number }
  | { readonly _tag: "Cancelled" }
  | { readonly _tag: "Failed"; readonly message: string }

const json = (value: unknown): string => {
  const text = JSON.stringify(value)
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text
}

const problem = (error: unknown): string => {
  if (isClientError(error)) return error.message
  return error instanceof Error ? error.message : String(error)
}

const diagnosticLines = (error: unknown): Array<string> | undefined => {
  if (!isClientError(error) || error._tag !== "RequestRejected" || error.code !== "compile_error") return undefined
  const list = error.body["diagnostics"]
  if (!Array.isArray(list)) return undefined
  return list.map((d: Record<string, unknown>) => `  ${String(d["line"])}:${String(d["column"])} ${String(d["code"])} ${String(d["message"])}`)
}

/** One event as a line of the report, `elapsed` ms after the run started. */
export const describeEvent = (e: StreamEvent, elapsed: number): string | undefined => {
  const at = `[${elapsed.toFixed(0).padStart(5)} ms]`
  switch (e.event) {
    case "output":
    case "complete":
      return `${at} ✓ ${e.data.name} = ${json(e.data.value)}${e.data.fromFallback ? " (fallback)" : ""}`
    case "error":
      return "name" in e.data
        ? `${at} ✗ ${e.data.name}: ${e.data.error.code}: ${e.data.error.message}`
        : `${at} ✗ the execution failed: ${e.data.error.code}: ${e.data.error.message}${e.data.missing.length > 0 ? ` (missing: ${e.data.missing.join(", ")})` : ""}`
    case "module-started":
      return `${at}   ▶ ${e.data.module} started`
    case "module-completed":
      return `${at}   ■ ${e.data.module} completed in ${e.data.latencyMs.toFixed(1)} ms`
    case "module-failed":
      return `${at}   ✗ ${e.data.module} failed after ${e.data.latencyMs.toFixed(1)} ms: ${e.data.error.message}`
    case "module-retrying":
      return `${at}   ↻ ${e.data.module} retrying`
    case "module-skipped":
      return `${at}   · ${e.data.module} skipped (${e.data.reason})`
    case "progress":
      return undefined
  }
}

/** Asks for each input in declaration order; `undefined` when one is not given. */
export const collectInputs = async (
  inputs: Readonly<Record<string, string>>,
  examples: Readonly<Record<string, unknown>>,
  ask: AskInput
): Promise<Record<string, unknown> | undefined> => {
  const values: Record<string, unknown> = {}
  for (const [name, type] of Object.entries(inputs)) {
    const validate = (text: string) => {
      const parsed = parseInput(type, text)
      return parsed.ok ? undefined : parsed.message
    }
    const text = await ask(name, type, initialText(type, examples[name]), validate)
    if (text === undefined) return undefined
    const parsed = parseInput(type, text)
    if (!parsed.ok) return undefined
    values[name] = parsed.value
  }
  return values
}

/** Runs `source` on the server behind `client`, reporting to `view`. */
export const runPipeline = async (options: {
  readonly source: string
  readonly client: ConstellationClient
  readonly ask: AskInput
  readonly view: RunView
  readonly signal: AbortSignal
}): Promise<RunOutcome> => {
  const { client, view, signal } = options
  let compiled
  try {
    compiled = await client.compile(options.source, { signal })
  } catch (error) {
    if (signal.aborted) return { _tag: "Cancelled" }
    const lines = diagnosticLines(error)
    if (lines === undefined) {
      view.line(`Cannot reach the server: ${problem(error)}`)
      return { _tag: "Failed", message: problem(error) }
    }
    view.line(`The pipeline does not compile (${lines.length} ${lines.length === 1 ? "problem" : "problems"}):`)
    lines.forEach(view.line)
    return { _tag: "Invalid", diagnostics: lines.length }
  }
  const inputs = await collectInputs(compiled.inputs, compiled.examples, options.ask)
  if (inputs === undefined) return { _tag: "Cancelled" }
  view.line(`Running ${Object.keys(compiled.outputs).join(", ")} with ${json(inputs)}`)
  const started = performance.now()
  let outputs = 0
  let failed = 0
  try {
    for await (const e of client.stream({ source: options.source, inputs: inputs as never, progress: true }, { signal, resume: false })) {
      if (e.event === "progress") view.progress(e.data.completed, e.data.total)
      if (e.event === "output" || e.event === "complete") outputs++
      if (e.event === "error") failed++
      const text = describeEvent(e, performance.now() - started)
      if (text !== undefined) view.line(text)
    }
  } catch (error) {
    if (signal.aborted) {
      view.line(`Cancelled after ${(performance.now() - started).toFixed(0)} ms: the execution was interrupted on the server.`)
      return { _tag: "Cancelled" }
    }
    view.line(`The run stopped: ${problem(error)}`)
    return { _tag: "Failed", message: problem(error) }
  }
  const ms = performance.now() - started
  view.line(`Done in ${ms.toFixed(0)} ms: ${outputs} ${outputs === 1 ? "output" : "outputs"}${failed > 0 ? `, ${failed} failed` : ""}.`)
  return { _tag: "Completed", outputs, failed, ms }
}
