/**
 * The page's connection to the service it was served by: the project's
 * client for compiling and running, and the list of examples.
 */
import { Either, Schema } from "effect"
import { RequestRejected } from "../../client/ClientError.js"
import { createClient } from "../../client/ConstellationClient.js"
import type { ConstellationClient } from "../../client/index.js"
import { ExamplesResponse } from "../../protocol/api.js"

export type Example = ExamplesResponse["examples"][number]

/** A client of the server that served the page, sending `headers()` with every request. */
export const makeClient = (headers: () => Record<string, string>): ConstellationClient => createClient({ baseUrl: "", headers })

const decodeExamples = Schema.decodeUnknownEither(ExamplesResponse)

/** The server's example pipelines; none when they cannot be had. */
export const fetchExamples = async (headers: Record<string, string>): Promise<ReadonlyArray<Example>> => {
  try {
    const response = await fetch("/examples", { headers: { ...headers, accept: "application/json" } })
    if (!response.ok) return []
    const decoded = decodeExamples(await response.json())
    return Either.isRight(decoded) ? decoded.right.examples : []
  } catch {
    return []
  }
}

/** What to tell the user when a request failed for want of a (valid) API key; undefined for any other failure. */
export const keyProblem = (error: unknown): string | undefined =>
  !(error instanceof RequestRejected)
    ? undefined
    : error.status === 401
    ? "This server asks for an API key."
    : error.status === 403
    ? "The server did not accept this API key."
    : undefined

/** What to show a person about a failed request. */
export const describeError = (error: unknown): string =>
  typeof error === "object" && error !== null && "detail" in error && typeof error.detail === "string"
    ? error.detail
    : error instanceof Error
    ? error.message
    : String(error)
