/**
 * Test support for the user documentation: reads the fenced code blocks of
 * a markdown file with the HTML-comment markers written just before them,
 * and checks a constellation block against a registry, compiling it and,
 * when it has inputs, running it through the engine under `TestClock`.
 *
 * Markers (each an HTML comment on the lines right before the fence):
 *
 *     <!-- expect: E302 E309 -->
 *         the block must fail to compile with exactly these codes, in
 *         source order;
 *     <!-- inputs: {"x": 2} outputs: {"y": 4} errors: {"z": "int_overflow"} elapsed: 30 -->
 *         the block compiles and, run with these inputs, gives exactly these
 *         outputs and these output error codes (both default to {}),
 *         finishing after `elapsed` virtual milliseconds when given;
 *     <!-- inputs: {"n": 1.5} rejects: "input 'n': expected Int, got 1.5" -->
 *         the inputs are refused with this message;
 *     <!-- example: name -->
 *         a TypeScript example (see `examplesOf`), its output in the `text`
 *         block right after it.
 *
 * A block without a marker must compile.
 */
import { readFileSync } from "node:fs"
import { expect } from "@effect/vitest"
import { Effect, Either, Fiber, Layer, TestClock } from "effect"
import { compile } from "../../src/lang/compileSource.js"
import { makeRegistry, ModuleRegistry } from "../../src/modules/ModuleRegistry.js"
import type { RegisteredModule } from "../../src/modules/ModuleRegistry.js"
import * as Engine from "../../src/runtime/Engine.js"
import * as Scheduler from "../../src/runtime/Scheduler.js"

export interface Run {
  readonly inputs: unknown
  readonly outputs: Readonly<Record<string, unknown>>
  /** Output name to error code. */
  readonly errors: Readonly<Record<string, string>>
  readonly elapsed?: number
  readonly rejects?: string
}

export interface Block {
  readonly lang: string
  readonly code: string
  /** The 1-based line of the opening fence, for test names. */
  readonly line: number
  /** The heading the block sits under. */
  readonly section: string
  readonly expect?: ReadonlyArray<string>
  readonly run?: Run
}

/** Reads a file of the repository, relative to its root. */
export const readDoc = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")

/** Where the JSON value starting at `start` ends (exclusive). */
const jsonEnd = (text: string, start: number): number => {
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === "\\") i++
      else if (c === "\"") {
        inString = false
        if (depth === 0) return i + 1
      }
    } else if (c === "\"") inString = true
    else if (c === "{" || c === "[") depth++
    else if (c === "}" || c === "]") {
      depth--
      if (depth === 0) return i + 1
    } else if (depth === 0 && /\s/.test(c ?? "")) return i
  }
  return text.length
}

/** Parses `key: json key: json ...` into an object. */
export const parseMarker = (text: string): Record<string, unknown> => {
  const fields: Record<string, unknown> = {}
  let rest = text.trim()
  while (rest !== "") {
    const key = /^([a-z]+):\s*/.exec(rest)
    if (key === null) throw new Error(`cannot read the marker at: ${rest}`)
    rest = rest.slice(key[0].length)
    // `expect` takes the rest of the marker (codes), `example` one word (a name); the others a JSON value.
    const end = key[1] === "expect" ? rest.length : key[1] === "example" ? /^\S*/.exec(rest)![0].length : jsonEnd(rest, 0)
    const raw = rest.slice(0, end)
    fields[key[1]!] = key[1] === "expect" ? raw.trim().split(/\s+/) : key[1] === "example" ? raw : JSON.parse(raw)
    rest = rest.slice(end).trim()
  }
  return fields
}

const toRun = (fields: Record<string, unknown>): Run | undefined => {
  if (!("inputs" in fields)) return undefined
  return {
    inputs: fields["inputs"],
    outputs: (fields["outputs"] ?? {}) as Record<string, unknown>,
    errors: (fields["errors"] ?? {}) as Record<string, string>,
    ...(typeof fields["elapsed"] === "number" ? { elapsed: fields["elapsed"] } : {}),
    ...(typeof fields["rejects"] === "string" ? { rejects: fields["rejects"] } : {})
  }
}

/** Every fenced code block of a markdown text, with its markers. */
export const codeBlocks = (markdown: string): Array<Block> => {
  const lines = markdown.split("\n")
  const blocks: Array<Block> = []
  let section = ""
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heading = /^#+\s+(.*)$/.exec(line)
    if (heading !== null) section = heading[1]!
    const fence = /^```(\S*)\s*$/.exec(line)
    if (fence === null) continue
    const markers: Record<string, unknown> = {}
    for (let j = i - 1; j >= 0; j--) {
      const comment = /^<!--\s*(.*?)\s*-->$/.exec(lines[j]!)
      if (comment === null) break
      Object.assign(markers, parseMarker(comment[1]!))
    }
    const start = i
    const body: Array<string> = []
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!)
    const run = toRun(markers)
    blocks.push({
      lang: fence[1]!,
      code: body.join("\n"),
      line: start + 1,
      section,
      ...(Array.isArray(markers["expect"]) ? { expect: markers["expect"] as Array<string> } : {}),
      ...(run === undefined ? {} : { run })
    })
  }
  return blocks
}

/** The diagnostics of a source as `E302 3:7 message`, or [] when it compiles. */
export const diagnosticsOf = (source: string, modules: ReadonlyArray<RegisteredModule>): Array<string> => {
  const result = compile(source, makeRegistry(modules))
  return Either.isLeft(result) ? result.left.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`) : []
}

/**
 * Checks one constellation block: compiles it against a fresh registry of
 * `modules()` and, when it has a run, runs it as a batch under `TestClock`.
 */
export const checkBlock = (block: Block, modules: () => ReadonlyArray<RegisteredModule>) =>
  Effect.gen(function*() {
    const registry = makeRegistry(modules())
    const compiled = compile(block.code, registry)
    if (block.expect !== undefined) {
      expect(Either.isLeft(compiled) ? compiled.left.diagnostics.map((d) => d.code) : []).toEqual(block.expect)
      return
    }
    if (Either.isLeft(compiled)) {
      throw new Error(compiled.left.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join("\n"))
    }
    const run = block.run
    if (run === undefined) return
    const layer = Engine.layer.pipe(
      Layer.provideMerge(Scheduler.layerWith(1024)),
      Layer.provideMerge(Layer.succeed(ModuleRegistry, registry))
    )
    const fiber = yield* Effect.fork(
      Effect.either(Effect.flatMap(Engine.Engine, (engine) => engine.run(compiled.right, run.inputs))).pipe(Effect.provide(layer))
    )
    yield* TestClock.adjust("1 hour")
    const result = yield* Fiber.join(fiber)
    if (run.rejects !== undefined) {
      expect(Either.isLeft(result) ? result.left.message : "the inputs were accepted").toBe(run.rejects)
      return
    }
    if (Either.isLeft(result)) throw new Error(`the inputs were refused: ${result.left.message}`)
    const batch = result.right
    const codes = Object.fromEntries(Object.entries(batch.errors).map(([name, e]) => [name, e.code]))
    expect({ outputs: batch.outputs, errors: codes }).toEqual({ outputs: run.outputs, errors: run.errors })
    if (run.elapsed !== undefined) expect(batch.durationMs).toBe(run.elapsed)
  })

/** The rows of the first markdown table after `heading`, as arrays of trimmed cells. */
export const tableAfter = (markdown: string, heading: string): Array<Array<string>> => {
  const lines = markdown.split("\n")
  const at = lines.findIndex((l) => l.replace(/^#+\s+/, "") === heading && l.startsWith("#"))
  if (at < 0) throw new Error(`no heading '${heading}'`)
  let i = at + 1
  while (i < lines.length && !lines[i]!.startsWith("|")) i++
  const rows: Array<Array<string>> = []
  for (; i < lines.length && lines[i]!.startsWith("|"); i++) {
    const cells = lines[i]!.slice(1, lines[i]!.trimEnd().endsWith("|") ? lines[i]!.trimEnd().length - 1 : undefined)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim())
    if (cells.every((c) => /^:?-+:?$/.test(c))) continue
    rows.push(cells)
  }
  return rows.slice(1)
}

/** The text of the first inline code span of a markdown cell. */
export const firstCode = (cell: string): string | undefined => /`([^`]+)`/.exec(cell)?.[1]

/** A runnable example: the code block after `<!-- example: name -->`, and the `text` block right after it, its output. */
export interface Example {
  readonly name: string
  readonly code: string
  readonly line: number
  /** What it prints, when the block is followed by a `text` block. */
  readonly output?: string
}

/** The examples of a markdown text, in order. */
export const examplesOf = (markdown: string): Array<Example> => {
  const blocks = codeBlocks(markdown)
  const lines = markdown.split("\n")
  return blocks.flatMap((block, i) => {
    const marker = /^<!--\s*example:\s*(\S+)\s*-->$/.exec(lines[block.line - 2] ?? "")
    if (marker === null) return []
    const name = marker[1]!
    // The closing fence is on line block.line + code lines + 1; a `text` block one blank line later is the output.
    const next = blocks[i + 1]
    const closing = block.line + block.code.split("\n").length + 1
    const output = next?.lang === "text" && next.line === closing + 2 ? next.code : undefined
    return [{ name, code: block.code, line: block.line, ...(output === undefined ? {} : { output }) }]
  })
}
