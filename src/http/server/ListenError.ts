/**
 * Why the server could not listen, told in one line that says what to
 * change (`port 8080 on 127.0.0.1 is in use; set PORT`) instead of the
 * platform's `ServeError: An error has occurred` with the cause in a stack
 * trace.
 */
import type { ServeError } from "@effect/platform/HttpServerError"
import { Data } from "effect"

/** The server could not listen on `host`:`port`; `code` is Node's (`EADDRINUSE`, `EACCES` ...), if any. */
export class ListenError extends Data.TaggedError("ListenError")<{
  readonly host: string
  readonly port: number
  readonly code: string | undefined
  /** The system's own words, for the codes not explained here. */
  readonly reason: string
}> {
  override get message(): string {
    return explain(this)
  }
}

/** How the user changes the host and the port: `npm start` reads the environment, `constellation serve` also has flags. */
export interface Remedies {
  readonly host: string
  readonly port: string
}

export const environmentRemedies: Remedies = { host: "set HOST", port: "set PORT" }

const codeOf = (cause: unknown): string | undefined =>
  typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string" ? cause.code : undefined

/** The ListenError of the platform's ServeError, for the address the server was given. */
export const fromServeError = (error: ServeError, address: { readonly host: string; readonly port: number }): ListenError =>
  new ListenError({
    ...address,
    code: codeOf(error.cause),
    reason: error.cause instanceof Error ? error.cause.message : String(error.cause)
  })

/** One line, ending with what to change. */
export const explain = (e: ListenError, remedies: Remedies = environmentRemedies): string => {
  switch (e.code) {
    case "EADDRINUSE":
      return `port ${e.port} on ${e.host} is in use; ${remedies.port}`
    case "EACCES":
      return e.port > 0 && e.port < 1024
        ? `port ${e.port} on ${e.host} needs privileges (ports below 1024 do); ${remedies.port}`
        : `no permission to listen on port ${e.port} on ${e.host}; ${remedies.port}`
    case "EADDRNOTAVAIL":
      return `${e.host} is not an address of this machine; ${remedies.host}`
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return `the host name ${e.host} cannot be resolved; ${remedies.host}`
    default:
      return `cannot listen on ${e.host} port ${e.port}: ${e.reason}`
  }
}
