/**
 * A 1,000-declaration pipeline edited 100 times through the stdio server:
 * every edit's diagnostics arrive (for that version, with the error the
 * edit made or without it), every completion and hover is answered in
 * time, and the server's memory stays bounded. Real time with generous
 * bounds: the machine is shared; the latency figures are bench/lsp.ts's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { CompletionItem, Hover } from "vscode-languageserver-protocol"
import { startLspClient } from "./support/LspClient.js"
import type { LspClient } from "./support/LspClient.js"
import { largePipeline } from "./support/largePipeline.js"

/** Any one answer slower than this fails the test (the benchmark measures the real figure, ~10 ms). */
const ANSWER_BOUND_MS = 3_000
/** The heap after a full collection may grow by at most this much from the 10th edit to the 100th (one analysis is ~1 MiB). */
const GROWTH_BOUND_BYTES = 8 * 1024 * 1024

let client: LspClient
beforeAll(async () => {
  client = await startLspClient()
}, 60_000)
afterAll(async () => {
  expect(await client.stop()).toBe(0)
})

const timed = async <A>(f: () => Promise<A>): Promise<{ readonly value: A; readonly ms: number }> => {
  const start = performance.now()
  const value = await f()
  return { value, ms: performance.now() - start }
}

describe("a 1,000-declaration document", () => {
  it("takes 100 edits with every diagnostics, completion and hover in time and memory bounded", async () => {
    const { text, lineOf } = largePipeline(1_000)
    const uri = "file:///work/large.cst"
    client.open(uri, text)
    expect(await client.diagnostics(uri, 1, 15_000)).toEqual([])
    let heapAfterWarmUp = 0
    const latencies: Array<number> = []
    for (let edit = 1; edit <= 100; edit++) {
      const version = edit + 1
      const line = lineOf(500 + (edit % 50))
      // Odd edits break a name (`v5xx` becomes `v5xxq`, an unknown output... or a duplicate); even edits put it back.
      const change = edit % 2 === 1
        ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: "zz" }
        : { range: { start: { line: lineOf(500 + ((edit - 1) % 50)) + 0, character: 0 }, end: { line: lineOf(500 + ((edit - 1) % 50)), character: 2 } }, text: "" }
      const { value: diagnostics, ms } = await timed(async () => {
        client.change(uri, version, [change])
        return client.diagnostics(uri, version, 15_000)
      })
      latencies.push(ms)
      expect(ms).toBeLessThan(ANSWER_BOUND_MS)
      // `zzv5xx = ...` defines another name, so `v5xx` is unknown where it is read.
      if (edit % 2 === 1) expect(diagnostics.map((d) => d.code)).toContain("E200")
      else expect(diagnostics).toEqual([])
      if (edit % 10 === 0) {
        const completion = await timed(() =>
          client.request<Array<CompletionItem>>("textDocument/completion", { textDocument: { uri }, position: { line: lineOf(900), character: 5 } }))
        expect(completion.ms).toBeLessThan(ANSWER_BOUND_MS)
        expect(completion.value.length).toBeGreaterThan(1_000)
        const hover = await timed(() =>
          client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: { line: lineOf(700), character: 1 } }))
        expect(hover.ms).toBeLessThan(ANSWER_BOUND_MS)
        expect(JSON.stringify(hover.value?.contents)).toContain("v700")
      }
      if (edit === 10) heapAfterWarmUp = (await client.stats()).heapUsedBytes
    }
    const stats = await client.stats()
    expect(stats).toMatchObject({ documents: 1, collected: true })
    const growth = stats.heapUsedBytes - heapAfterWarmUp
    expect(growth).toBeLessThan(GROWTH_BOUND_BYTES)
    const sorted = [...latencies].sort((a, b) => a - b)
    console.log(`1,000 declarations, 100 edits: diagnostics p50 ${sorted[49]!.toFixed(1)} ms, max ${sorted[99]!.toFixed(1)} ms; heap growth after warm-up ${(growth / 1048576).toFixed(1)} MiB`)
  }, 180_000)
})
