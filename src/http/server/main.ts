/**
 * `npm start`: the HTTP service on `HOST`:`PORT` (127.0.0.1:8080), the
 * standard library and the examples loaded. SIGTERM or SIGINT drains it
 * (see `shutdown.ts`) and the process exits 0. A port it cannot listen on
 * is one line on stderr and exit 1.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { defaultTeardown } from "@effect/platform/Runtime"
import { Console, Effect, Exit, Layer } from "effect"
import { explain } from "./ListenError.js"
import { configLayer, serverLayer } from "./server.js"
import { drain } from "./shutdown.js"
import { restoreGrowth } from "./youngGeneration.js"

const main = restoreGrowth.pipe(
  // Listening: the young generation may grow again (see youngGeneration.ts).
  Effect.zipRight(Effect.never),
  // Runs on SIGTERM/SIGINT, while the server still serves the running streams.
  Effect.onInterrupt(() => drain),
  Effect.provide(serverLayer().pipe(Layer.provideMerge(configLayer))),
  Effect.catchTag("ListenError", (e) => Effect.as(Console.error(explain(e)), 1))
)

NodeRuntime.runMain(main, {
  teardown: (exit, onExit) =>
    Exit.isSuccess(exit) && typeof exit.value === "number" ? onExit(exit.value) : defaultTeardown(exit, onExit)
})
