/**
 * `npm start`: the HTTP service on `HOST`:`PORT` (127.0.0.1:8080), the
 * standard library and the examples loaded. SIGTERM or SIGINT drains it
 * (see `shutdown.ts`) and the process exits 0.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, Layer } from "effect"
import { configLayer, serverLayer } from "./server.js"
import { drain } from "./shutdown.js"

const main = Effect.never.pipe(
  // Runs on SIGTERM/SIGINT, while the server still serves the running streams.
  Effect.onInterrupt(() => drain),
  Effect.provide(serverLayer().pipe(Layer.provideMerge(configLayer)))
)

NodeRuntime.runMain(main)
