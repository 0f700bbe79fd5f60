/**
 * Embedding the engine in an Effect application: define a module, compile a
 * pipeline, stream its events as they happen, then run it as a batch.
 *
 * Run: npx tsx examples/embed.ts
 */
import { Console, Effect, Schema, Stream } from "effect"
import { Compiler, Constellation, Engine, Module } from "../src/index.js"

/** A module of our own: it may suspend (here, a short sleep stands in for a service call). */
const Greet = Module.make({
  name: "Greet",
  description: "Greets someone by name after 20 ms.",
  params: { name: Schema.String },
  result: Schema.String,
  run: ({ name }) => Effect.as(Effect.sleep("20 millis"), `Hello, ${name}!`)
})

const source = `
in name: String
greeting = Greet(name)
shout = Uppercase(greeting)
slow = Delay(TextLength(name), 100)
out greeting
out shout
out slow
`

/** Streams the pipeline's events; returns the names of the outputs in the order they arrived. */
export const program = Effect.gen(function*() {
  const compiler = yield* Compiler
  const engine = yield* Engine
  const pipeline = yield* compiler.compile(source)

  const arrived: Array<string> = []
  const events = yield* engine.runStreaming(pipeline, { name: "Ada" })
  yield* Stream.runForEach(events, (event) => {
    if (event._tag !== "Output") return Effect.void
    arrived.push(event.name)
    return Console.log(`${event.name} = ${JSON.stringify(event.value)}${event.isFinal ? " (last)" : ""}`)
  })

  const batch = yield* engine.run(pipeline, { name: "Grace" })
  yield* Console.log(`batch: ${batch.status}`, batch.outputs)
  return { arrived, batch }
}).pipe(Effect.provide(Constellation.layer([Greet])))

if (process.argv[1]?.endsWith("embed.ts") === true) Effect.runPromise(program).catch((e) => {
  console.error(e)
  process.exit(1)
})
