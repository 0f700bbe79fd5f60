/**
 * What can go wrong between a client and the server, each a tagged error
 * whose message says what happened. They are `Error`s too, so
 * `catch (e) { if (e instanceof RequestRejected) ... }` works as well as
 * matching on `_tag`.
 *
 * @since 0.1.0
 */
import { Data } from "effect"
import type { ErrorInfo } from "../protocol/errors.js"

/**
 * The server answered with an error status (4xx, 5xx). `code` is the
 * server's stable code (`compile_error`, `invalid_inputs`,
 * `over_capacity` ...) and `body` its whole JSON answer, with details such
 * as `diagnostics` or `issues`.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestRejected extends Data.TaggedError("RequestRejected")<{
  readonly status: number
  readonly code: string
  readonly detail: string
  readonly requestId: string | undefined
  readonly body: Readonly<Record<string, unknown>>
}> {
  override get message(): string {
    return `The server rejected the request (HTTP ${this.status}, ${this.code}): ${this.detail}`
  }
}

/**
 * The server could not be reached: refused connection, unknown host, or a
 * network failure before any response.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectFailed extends Data.TaggedError("ConnectFailed")<{
  readonly url: string
  readonly cause: unknown
}> {
  override get message(): string {
    return `Could not reach ${this.url}: ${describeCause(this.cause)}`
  }
}

/**
 * The event stream stopped before the execution's final event: the
 * connection dropped, or the server ended the response early. Never a
 * silent end: the outputs not received are lost.
 *
 * @since 0.1.0
 * @category errors
 */
export class StreamInterrupted extends Data.TaggedError("StreamInterrupted")<{
  /** The execution's id, when at least one event arrived. */
  readonly executionId: string | undefined
  /** How many events arrived before the stream stopped. */
  readonly received: number
  /** The transport's error, or undefined when the response simply ended. */
  readonly cause: unknown
}> {
  override get message(): string {
    const how = this.cause === undefined ? "the server ended the response" : `the connection failed (${describeCause(this.cause)})`
    return `The event stream stopped after ${this.received} event(s), before the execution's final event: ${how}`
  }
}

/**
 * The server answered with something this client does not understand: a
 * body that is not the expected JSON, a missing event stream, an event
 * whose payload does not match its schema.
 *
 * @since 0.1.0
 * @category errors
 */
export class ProtocolError extends Data.TaggedError("ProtocolError")<{ readonly detail: string }> {
  override get message(): string {
    return `Unexpected answer from the server: ${this.detail}`
  }
}

/**
 * The caller aborted the request through its `AbortSignal`; the
 * connection was closed, which cancels the execution on the server.
 *
 * @since 0.1.0
 * @category errors
 */
export class Aborted extends Data.TaggedError("Aborted")<{ readonly reason: unknown }> {
  override get message(): string {
    return `The request was aborted${this.reason === undefined ? "" : `: ${describeCause(this.reason)}`}`
  }
}

/**
 * Every error of a request, before or during its response.
 *
 * @since 0.1.0
 * @category errors
 */
export type ClientError = RequestRejected | ConnectFailed | StreamInterrupted | ProtocolError | Aborted

/**
 * One output of a streamed execution failed (its module failed, or
 * something it depends on did). The other outputs continue.
 *
 * @since 0.1.0
 * @category errors
 */
export class OutputFailed extends Data.TaggedError("OutputFailed")<{
  readonly executionId: string
  readonly name: string
  readonly error: ErrorInfo
}> {
  override get message(): string {
    return `Output "${this.name}" failed (${this.error.code}): ${this.error.message}`
  }
}

/**
 * The whole execution ended before all its outputs (deadline, shutdown,
 * cancel); `missing` lists the outputs that never came.
 *
 * @since 0.1.0
 * @category errors
 */
export class ExecutionFailed extends Data.TaggedError("ExecutionFailed")<{
  readonly executionId: string
  readonly error: ErrorInfo
  readonly missing: ReadonlyArray<string>
}> {
  override get message(): string {
    return `The execution ended early (${this.error.code}): ${this.error.message}; missing: ${this.missing.join(", ") || "none"}`
  }
}

/** A readable account of an unknown thrown value, following `cause` chains (undici puts the socket error there). */
export const describeCause = (cause: unknown): string => {
  const parts: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      const code = "code" in current && typeof current.code === "string" ? ` [${current.code}]` : ""
      parts.push(`${current.message}${code}`)
      current = current.cause
    } else {
      parts.push(String(current))
      break
    }
  }
  return parts.join(": ") || "unknown error"
}
