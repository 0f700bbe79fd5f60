/**
 * `constellation serve [--host HOST] [--port PORT] [--quiet]`: the HTTP
 * service, the one `npm start` runs. Settings come from the environment
 * (`HOST`, `PORT`, the limits ...), the flags override them. SIGTERM or
 * SIGINT drains it, and the process exits 0. A port it cannot listen on is
 * one line on stderr and exit 1; invalid settings exit 2.
 */
import { Command, Options } from "@effect/cli"
import { Effect, Layer, Option } from "effect"
import * as Limits from "../../http/server/Limits.js"
import { explain } from "../../http/server/ListenError.js"
import type { Remedies } from "../../http/server/ListenError.js"
import { serverLayer } from "../../http/server/server.js"
import { restoreGrowth } from "../../http/server/youngGeneration.js"
import * as Tracing from "../../http/ops/Tracing.js"
import * as ServerConfig from "../../http/server/ServerConfig.js"
import { drain } from "../../http/server/shutdown.js"
import { failed, usage } from "../CliFailure.js"

const host = Options.text("host").pipe(
  Options.withPseudoName("HOST"),
  Options.optional,
  Options.withDescription("The interface to listen on, e.g. 0.0.0.0 for all of them. Default: $HOST, else 127.0.0.1.")
)
const port = Options.integer("port").pipe(
  Options.withPseudoName("PORT"),
  Options.optional,
  Options.withDescription("The port to listen on; 0 picks a free one. Default: $PORT, else 8080.")
)
const quiet = Options.boolean("quiet").pipe(Options.withDescription("Print neither the 'Listening on' line nor, with LOG_REQUESTS=true, a log entry per request."))

/** What to change when the server cannot listen. */
const flagRemedies: Remedies = { host: "pass --host or set HOST", port: "pass --port or set PORT" }

/** The environment's settings with the flags over them. */
const configLayer = (overrides: { readonly host: Option.Option<string>; readonly port: Option.Option<number> }) =>
  Layer.mergeAll(
    Limits.layer,
    Tracing.layerConfig,
    Layer.effect(
      ServerConfig.ServerConfig,
      Effect.map(ServerConfig.config, (config) => ({
        ...config,
        host: Option.getOrElse(overrides.host, () => config.host),
        port: Option.getOrElse(overrides.port, () => config.port)
      }))
    )
  )

export const serve = Command.make("serve", { host, port, quiet }, (options) =>
  Effect.sync(() => {
    // A drained server is a clean exit, as with `npm start` (see main.ts).
    process.exitCode = 0
  }).pipe(
    // Listening: the young generation may grow again (see http/server/youngGeneration.ts).
    Effect.zipLeft(restoreGrowth),
    Effect.zipRight(Effect.never),
    // Runs on SIGTERM/SIGINT, while the server still serves the running streams.
    Effect.onInterrupt(() => drain),
    Effect.provide(serverLayer({ quiet: options.quiet }).pipe(Layer.provideMerge(configLayer(options)))),
    Effect.mapError((e) =>
      e._tag === "ListenError"
        ? failed(explain(e, flagRemedies))
        : usage(`Invalid configuration: ${"path" in e ? `${e.path.join(".")}: ` : ""}${e.message}`)
    )
  )).pipe(Command.withDescription("Start the HTTP service (what `npm start` runs)."))
