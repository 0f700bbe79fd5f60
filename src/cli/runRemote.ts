/**
 * `constellation run --server URL`: the pipeline compiled and run by a
 * server, through the Effect client (followed, or with `--detach` only
 * started). The server's compile diagnostics are printed as local ones are.
 */
import { Effect, Either, Schema, Stream } from "effect"
import type { ClientError } from "../client/ClientError.js"
import { ConstellationHttpClient } from "../client/ConstellationHttpClient.js"
import { DiagnosticWire } from "../protocol/errors.js"
import type { ExecutionCreated } from "../protocol/executions.js"
import { failed, usage } from "./CliFailure.js"
import type { CliFailure } from "./CliFailure.js"
import { formatDiagnostics } from "./formatDiagnostic.js"
import type { Style } from "./formatDiagnostic.js"
import { inputsOf } from "./RunSpec.js"
import type { RunEvents, RunSpec } from "./RunSpec.js"
import { Terminal } from "./Terminal.js"

const decodeDiagnostics = Schema.decodeUnknownEither(Schema.Array(DiagnosticWire))

/** A client error as the CLI reports it: what the server refused is a usage error (4xx), the rest a failed run. */
export const failureOf = (spec: RunSpec, style: Style) => (e: ClientError): CliFailure => {
  if (e._tag !== "RequestRejected") return failed(e.message)
  const diagnostics = e.code === "compile_error" ? decodeDiagnostics(e.body["diagnostics"]) : undefined
  if (diagnostics !== undefined && Either.isRight(diagnostics)) {
    return usage(formatDiagnostics(spec.file, spec.source, diagnostics.right, style))
  }
  return e.status >= 400 && e.status < 500 ? usage(e.message) : failed(e.message)
}

/** The inputs of the run, once the server has compiled the pipeline (for its input types). */
const remoteInputs = (client: ConstellationHttpClient["Type"], spec: RunSpec, toFailure: (e: ClientError) => CliFailure) =>
  Effect.flatMap(Effect.mapError(client.compile(spec.source), toFailure), (compiled) => inputsOf(spec, compiled.inputs))

/** Compiles the pipeline on the server (for its input types), then streams its run. */
export const runRemote = (spec: RunSpec): Effect.Effect<RunEvents, CliFailure, ConstellationHttpClient | Terminal> =>
  Effect.gen(function*() {
    const client = yield* ConstellationHttpClient
    const toFailure = failureOf(spec, (yield* Terminal).style)
    const inputs = yield* remoteInputs(client, spec, toFailure)
    return client.stream({ source: spec.source, inputs, progress: spec.progress }).pipe(Stream.mapError(toFailure))
  })

/** `run --detach`: starts the run on the server (`POST /executions`) without following it. */
export const detachRemote = (spec: RunSpec): Effect.Effect<ExecutionCreated, CliFailure, ConstellationHttpClient | Terminal> =>
  Effect.gen(function*() {
    const client = yield* ConstellationHttpClient
    const toFailure = failureOf(spec, (yield* Terminal).style)
    const inputs = yield* remoteInputs(client, spec, toFailure)
    return yield* Effect.mapError(client.create({ source: spec.source, inputs, progress: spec.progress }), toFailure)
  })
