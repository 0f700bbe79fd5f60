/**
 * Module attempt spans, through the engine with OpenTelemetry's in-memory
 * exporter: a run under a span gets one span per forked attempt (pure
 * modules computed inline get none), with its outcome, and calls per
 * element their element's index; a run under no span gets none.
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import { describe, expect, it } from "@effect/vitest"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Layer } from "effect"
import { Engine } from "../../../src/runtime/Engine.js"
import { engineLayer, makeProbe } from "../support.js"

const PIPELINE = [
  "in text: String",
  "upper = Uppercase(text)",
  "quick = Work(\"quick\", 5)",
  "late = Work(\"late\", 1000) with timeout: 20ms, fallback: \"late fallback\"",
  "flaky = Flaky(\"flaky\", 1) with retry: 2",
  "out upper",
  "out quick",
  "out late",
  "out flaky",
  ""
].join("\n")

const tracing = (exporter: InMemorySpanExporter) =>
  NodeSdk.layer(() => ({ resource: { serviceName: "test" }, spanProcessor: new SimpleSpanProcessor(exporter) }))

describe("module attempt spans", () => {
  it.live("one span per forked attempt, under the span the execution runs in", () => {
    const exporter = new InMemorySpanExporter()
    const env = engineLayer(makeProbe())
    return Effect.gen(function*() {
      const engine = yield* Engine
      const result = yield* engine.run(env.compile(PIPELINE), { text: "hi" }).pipe(Effect.withSpan("caller"))
      expect(result.outputStatus).toEqual({ upper: "succeeded", quick: "succeeded", late: "fallback", flaky: "succeeded" })
      const spans = exporter.getFinishedSpans()
      const caller = spans.find((s) => s.name === "caller")!
      const modules = spans.filter((s) => s.name.startsWith("module "))
      expect(modules.every((s) => s.parentSpanContext?.spanId === caller.spanContext().spanId)).toBe(true)
      expect(
        modules.map((s) => [
          s.attributes["constellation.module.name"],
          s.attributes["constellation.module.attempt"],
          s.attributes["constellation.module.outcome"],
          s.attributes["constellation.module.fallback"]
        ]).sort((a, b) => String(a).localeCompare(String(b)))
      ).toEqual([
        ["Flaky", 1, "failed", undefined],
        ["Flaky", 2, "succeeded", undefined],
        ["Work", 1, "succeeded", undefined],
        ["Work", 1, "timed_out", true]
      ])
    }).pipe(Effect.provide(Layer.merge(env.layer, tracing(exporter))))
  })

  it.live("one span per attempt of a call made per element, with the element's index", () => {
    const exporter = new InMemorySpanExporter()
    const env = engineLayer(makeProbe())
    const source = "in labels: List<String>\nr = map(labels, (l) => Work(l, 5))\ns = map(labels, (l) => Uppercase(l))\nout r\nout s\n"
    return Effect.gen(function*() {
      const engine = yield* Engine
      const result = yield* engine.run(env.compile(source), { labels: ["a", "b"] }).pipe(Effect.withSpan("caller"))
      expect(result.outputs).toEqual({ r: ["a", "b"], s: ["A", "B"] })
      const modules = exporter.getFinishedSpans().filter((s) => s.name.startsWith("module "))
      expect(modules.map((s) => [s.attributes["constellation.module.name"], s.attributes["constellation.module.element"], s.attributes["constellation.module.outcome"]])
        .sort((a, b) => String(a).localeCompare(String(b)))).toEqual([["Work", 0, "succeeded"], ["Work", 1, "succeeded"]])
    }).pipe(Effect.provide(Layer.merge(env.layer, tracing(exporter))))
  })

  it.live("no span for a run that is not under one", () => {
    const exporter = new InMemorySpanExporter()
    const env = engineLayer(makeProbe())
    return Effect.gen(function*() {
      const engine = yield* Engine
      yield* engine.run(env.compile(PIPELINE), { text: "hi" })
      expect(exporter.getFinishedSpans()).toEqual([])
    }).pipe(Effect.provide(Layer.merge(env.layer, tracing(exporter))))
  })
})
