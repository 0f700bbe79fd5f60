/**
 * `constellation run <file.cst> [--input name=value ...] [--inputs file.json]
 * [--progress] [--json] [--server URL [--detach]]`: runs a pipeline in this
 * process, or on a server through the client, printing each output as it
 * arrives. Exits 0 when every output succeeded, 1 when some failed, 2 for
 * compile and usage errors. With `--detach` it only starts the run on the
 * server and prints its id (`attach` follows it, `cancel` stops it).
 */
import { Args, Command, Options } from "@effect/cli"
import { Effect, Layer, Option } from "effect"
import * as Constellation from "../../runtime/layers.js"
import { failed, usage } from "../CliFailure.js"
import { parseInputsFile } from "../inputs.js"
import { readText } from "../readText.js"
import { report } from "../report.js"
import { runLocal } from "../runLocal.js"
import { clientLayer } from "../remoteClient.js"
import { detachRemote, runRemote } from "../runRemote.js"
import type { RunSpec } from "../RunSpec.js"
import { Terminal } from "../Terminal.js"

const file = Args.text({ name: "file.cst" }).pipe(Args.withDescription("The pipeline to run: a constellation-lang file (.cst)."))

const input = Options.text("input").pipe(
  Options.withAlias("i"),
  Options.withPseudoName("name=value"),
  Options.repeated,
  Options.withDescription("An input as name=value (repeatable). JSON unless the input is a String: n=3, tags='[\"a\"]'.")
)
const inputs = Options.text("inputs").pipe(
  Options.withPseudoName("file.json"),
  Options.optional,
  Options.withDescription("A JSON file holding an object of inputs; --input values override it. An input given by neither takes its @example value.")
)
const progress = Options.boolean("progress").pipe(
  Options.withDescription("Also report module progress (a line per progress event when stderr is not a terminal).")
)
const json = Options.boolean("json").pipe(Options.withDescription("Print one JSON object per event, for scripts."))
const server = Options.text("server").pipe(
  Options.withPseudoName("URL"),
  Options.optional,
  Options.withDescription("Run on the server at this URL (e.g. http://127.0.0.1:8080) instead of in this process.")
)

const detach = Options.boolean("detach").pipe(
  Options.withDescription("With --server: start the run and print its execution id at once, for attach and cancel to use.")
)

const engineLayer = Constellation.layer().pipe(Layer.mapError((e) => usage(`Invalid configuration: ${e.message}`)))

export const run = Command.make(
  "run",
  { file, input, inputs, progress, json, server, detach },
  (options) =>
    Effect.gen(function*() {
      const terminal = yield* Terminal
      const source = yield* readText(options.file)
      const fromFile = yield* Option.match(options.inputs, {
        onNone: () => Effect.succeed({}),
        onSome: (path) => Effect.flatMap(readText(path), (text) => parseInputsFile(path, text))
      })
      const spec: RunSpec = {
        file: options.file,
        source,
        fromFile,
        assignments: options.input,
        // A terminal gets the live progress line whether or not --progress was given.
        progress: options.progress || (terminal.interactive && !options.json)
      }
      if (options.detach) {
        if (Option.isNone(options.server)) return yield* usage("--detach starts the run on a server: give --server URL too.")
        const created = yield* detachRemote(spec).pipe(Effect.provide(clientLayer(options.server.value)))
        return yield* terminal.out(options.json ? JSON.stringify(created) : created.executionId)
      }
      const result = yield* Option.match(options.server, {
        onNone: () => Effect.flatMap(runLocal(spec), (events) => report(events, options)).pipe(Effect.provide(engineLayer)),
        onSome: (url) => Effect.flatMap(runRemote(spec), (events) => report(events, options)).pipe(Effect.provide(clientLayer(url)))
      })
      if (result.status !== "completed") return yield* failed("")
    })
).pipe(Command.withDescription("Run a pipeline, printing each output as soon as it is ready."))
