/**
 * `constellation attach <id> --server URL [--json] [--progress]`: follows
 * an execution already running on a server (started by `run --detach`,
 * another client, the dashboard) with the same live display as `run`: the
 * outputs so far, then the rest as they arrive, resumed after a dropped
 * connection. Stopping it (Ctrl-C) leaves the execution running. Exits 0
 * when every output succeeded, 1 when some failed, 2 for an unknown id.
 */
import { Args, Command, Options } from "@effect/cli"
import { Effect, Stream } from "effect"
import type { ClientError } from "../../client/ClientError.js"
import { ConstellationHttpClient } from "../../client/ConstellationHttpClient.js"
import { failed, usage } from "../CliFailure.js"
import { clientLayer, serverOption } from "../remoteClient.js"
import { report } from "../report.js"
import { Terminal } from "../Terminal.js"

const id = Args.text({ name: "id" }).pipe(Args.withDescription("The execution to follow: the id `run --detach` printed."))
const server = serverOption("The server the execution runs on (e.g. http://127.0.0.1:8080).")
const json = Options.boolean("json").pipe(Options.withDescription("Print one JSON object per followed event, for scripts."))
const progress = Options.boolean("progress").pipe(
  Options.withDescription("Also report the module progress the execution sends (it does when started with --progress).")
)

/** What the server refused (an unknown or expired id) is a usage error; a stream that broke off is a failed run. */
const failureOf = (e: ClientError) => (e._tag === "RequestRejected" && e.status < 500 ? usage(e.message) : failed(e.message))

export const attach = Command.make("attach", { id, server, json, progress }, (options) =>
  Effect.gen(function*() {
    const terminal = yield* Terminal
    const client = yield* ConstellationHttpClient
    const events = client.attach(options.id).pipe(Stream.mapError(failureOf))
    const result = yield* report(events, { json: options.json, progress: options.progress || (terminal.interactive && !options.json) })
    if (result.status !== "completed") return yield* failed("")
  }).pipe(Effect.provide(clientLayer(options.server)))).pipe(
    Command.withDescription("Follow an execution running on a server: what it has sent so far, then the rest as it comes.")
  )
