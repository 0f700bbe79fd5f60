/**
 * bench/lsp: the language server as an editor meets it, over stdio (the
 * `constellation lsp --stdio` binary, spoken to with vscode-jsonrpc):
 *
 * - diagnostics latency after an edit, from sending `didChange` to
 *   receiving `publishDiagnostics` for that version (the 5 ms debounce
 *   included), for pipelines of 30 and 1,000 declarations; edits alternate
 *   between breaking a name and putting it back;
 * - completion and hover latency in the 1,000-declaration pipeline;
 * - the analysis alone in process (parse, check, index, diagnostics), to
 *   tell the protocol's share;
 * - memory per open document: the server's heap after a full GC, before
 *   and after opening 20 copies.
 *
 * Run: npx tsx bench/lsp.ts
 */
import { analyze } from "../src/lsp/Analysis.js"
import { lspDiagnostics } from "../src/lsp/diagnostics.js"
import { makeRegistry } from "../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../src/modules/stdlib/index.js"
import { startLspClient } from "../test/lsp/support/LspClient.js"
import type { LspClient } from "../test/lsp/support/LspClient.js"
import { largePipeline } from "../test/lsp/support/largePipeline.js"
import { fmt, isMain, percentile, table } from "./support.js"

const EDITS = 200
const REQUESTS = 100
const COPIES = 20

const timed = async (f: () => Promise<unknown>): Promise<number> => {
  const start = performance.now()
  await f()
  return performance.now() - start
}

/** Diagnostics latencies of `EDITS` edits of a pipeline of `n` declarations. */
const editLatencies = async (client: LspClient, n: number): Promise<Array<number>> => {
  const { text, lineOf } = largePipeline(n)
  const uri = `file:///bench/edits-${n}.cst`
  client.open(uri, text)
  await client.diagnostics(uri, 1, 30_000)
  const line = lineOf(Math.floor(n / 2))
  const latencies: Array<number> = []
  for (let edit = 1; edit <= EDITS; edit++) {
    const version = edit + 1
    const change = edit % 2 === 1
      ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: "zz" }
      : { range: { start: { line, character: 0 }, end: { line, character: 2 } }, text: "" }
    latencies.push(await timed(() => {
      client.change(uri, version, [change])
      return client.diagnostics(uri, version, 30_000)
    }))
  }
  client.close(uri)
  return latencies.slice(10)
}

const requestLatencies = async (client: LspClient, method: string, position: { line: number; character: number }): Promise<Array<number>> => {
  const { text } = largePipeline(1_000)
  const uri = `file:///bench/requests-${method.replace(/\W/g, "-")}.cst`
  client.open(uri, text)
  await client.diagnostics(uri, 1, 30_000)
  const latencies: Array<number> = []
  for (let i = 0; i < REQUESTS; i++) latencies.push(await timed(() => client.request(method, { textDocument: { uri }, position })))
  client.close(uri)
  return latencies.slice(10)
}

const inProcess = (n: number): Array<number> => {
  const registry = makeRegistry(makeStdlib())
  const { text } = largePipeline(n)
  const times: Array<number> = []
  for (let i = 0; i < EDITS; i++) {
    const source = i % 2 === 0 ? text : text.replace("\nv1 =", "\nzzv1 =")
    const start = performance.now()
    lspDiagnostics(analyze(source, registry), "file:///x")
    times.push(performance.now() - start)
  }
  return times.slice(20)
}

const memoryPerDocument = async (client: LspClient, n: number): Promise<number> => {
  const { text } = largePipeline(n)
  const before = (await client.stats()).heapUsedBytes
  for (let i = 0; i < COPIES; i++) {
    const uri = `file:///bench/memory-${n}-${i}.cst`
    client.open(uri, text)
    await client.diagnostics(uri, 1, 30_000)
  }
  const after = (await client.stats()).heapUsedBytes
  for (let i = 0; i < COPIES; i++) client.close(`file:///bench/memory-${n}-${i}.cst`)
  return (after - before) / COPIES
}

const row = (name: string, xs: ReadonlyArray<number>): Array<string> => [name, fmt(percentile(xs, 50)), fmt(percentile(xs, 99)), String(xs.length)]

export const main = async (): Promise<string> => {
  const client = await startLspClient()
  try {
    const { lineOf } = largePipeline(1_000)
    const edits30 = await editLatencies(client, 30)
    const edits1000 = await editLatencies(client, 1_000)
    const completion = await requestLatencies(client, "textDocument/completion", { line: lineOf(900), character: 5 })
    const fieldLine = lineOf(902)
    const hover = await requestLatencies(client, "textDocument/hover", { line: lineOf(700), character: 1 })
    const fields = await requestLatencies(client, "textDocument/completion", { line: fieldLine, character: 12 })
    const analysis30 = inProcess(30)
    const analysis1000 = inProcess(1_000)
    const memory30 = await memoryPerDocument(client, 30)
    const memory1000 = await memoryPerDocument(client, 1_000)
    return [
      "### Language server (`bench/lsp.ts`)",
      "",
      table(["measure (ms)", "p50", "p99", "samples"], [
        row("diagnostics after an edit, 30 declarations", edits30),
        row("diagnostics after an edit, 1,000 declarations", edits1000),
        row("completion in an expression (1,000 declarations, every name)", completion),
        row("completion of a record's fields", fields),
        row("hover (1,000 declarations)", hover),
        row("analysis alone in process, 30 declarations", analysis30),
        row("analysis alone in process, 1,000 declarations", analysis1000)
      ]),
      "",
      `Memory per open document (heap after GC, ${COPIES} copies): ${(memory30 / 1024).toFixed(0)} KiB for 30 declarations, ${(memory1000 / 1024 / 1024).toFixed(2)} MiB for 1,000.`,
      ""
    ].join("\n")
  } finally {
    await client.stop()
  }
}

if (isMain(import.meta.url)) main().then((s) => console.log(s)).then(() => process.exit())
