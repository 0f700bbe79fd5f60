/**
 * `constellation cancel <id> --server URL`: stops an execution running on
 * a server, keeping what it computed; prints what it had. Exit 0, or 2 for
 * an unknown id.
 */
import { Args, Command } from "@effect/cli"
import { Effect } from "effect"
import { ConstellationHttpClient } from "../../client/ConstellationHttpClient.js"
import { failed, usage } from "../CliFailure.js"
import { clientLayer, serverOption } from "../remoteClient.js"
import { Terminal } from "../Terminal.js"

const id = Args.text({ name: "id" }).pipe(Args.withDescription("The execution to stop: the id `run --detach` printed."))
const server = serverOption("The server the execution to stop runs on (e.g. http://127.0.0.1:8080).")

export const cancel = Command.make("cancel", { id, server }, (options) =>
  Effect.gen(function*() {
    const terminal = yield* Terminal
    const client = yield* ConstellationHttpClient
    const state = yield* client.cancel(options.id).pipe(
      Effect.mapError((e) => (e._tag === "RequestRejected" && e.status < 500 ? usage(e.message) : failed(e.message)))
    )
    const kept = Object.keys(state.outputs).length
    const total = Object.keys(state.outputStatus).length
    yield* terminal.out(`${state.executionId}: ${state.status}, ${kept} of ${total} ${total === 1 ? "output" : "outputs"} kept`)
  }).pipe(Effect.provide(clientLayer(options.server)))).pipe(
    Command.withDescription("Stop an execution running on a server, keeping the outputs it computed.")
  )
