/**
 * Reading what the server answered, shared by both clients: the typed error
 * of an error status, and a JSON body decoded with its Schema.
 */
import { Either, ParseResult, Schema } from "effect"
import { ErrorBody } from "../protocol/errors.js"
import { ProtocolError, RequestRejected } from "./ClientError.js"

const decodeErrorBody = Schema.decodeUnknownEither(ErrorBody)

const parseJson = (text: string): Either.Either<unknown, unknown> => Either.try((): unknown => JSON.parse(text))

/**
 * The error of a response with an error status: the server's code, message
 * and details from its JSON body, or the status and the start of the text
 * when the body is not the server's JSON (a proxy's page, say).
 */
export const rejectionOf = (response: {
  readonly status: number
  readonly statusText: string
  readonly text: string
  readonly requestId: string | undefined
}): RequestRejected => {
  const parsed = parseJson(response.text).pipe(Either.flatMap((json) => decodeErrorBody(json)))
  if (Either.isRight(parsed)) {
    const body = parsed.right
    return new RequestRejected({
      status: response.status,
      code: body.error,
      detail: body.message,
      requestId: body.requestId ?? response.requestId,
      body
    })
  }
  return new RequestRejected({
    status: response.status,
    code: `http_${response.status}`,
    detail: response.text.trim().slice(0, 500) || response.statusText || "no details",
    requestId: response.requestId,
    body: {}
  })
}

/** A JSON body decoded with `schema`; fields the schema does not know are dropped. */
export const decodeJsonBody = <A, I>(schema: Schema.Schema<A, I>, text: string, url: string): Either.Either<A, ProtocolError> => {
  const json = parseJson(text)
  if (Either.isLeft(json)) return Either.left(new ProtocolError({ detail: `the body of ${url} is not JSON: ${text.slice(0, 200)}` }))
  return Either.mapLeft(
    Schema.decodeUnknownEither(schema, { onExcessProperty: "ignore" })(json.right),
    (e) => new ProtocolError({ detail: `the body of ${url} does not match: ${ParseResult.TreeFormatter.formatErrorSync(e)}` })
  )
}

/** Whether a `content-type` header names an event stream. */
export const isEventStream = (contentType: string | undefined | null): boolean =>
  (contentType ?? "").toLowerCase().startsWith("text/event-stream")
