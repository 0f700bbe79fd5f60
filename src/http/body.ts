/**
 * Reading request bodies: at most the configured number of bytes, valid
 * UTF-8, valid JSON, then decoded with a Schema. Each failure is a 4xx
 * error saying what was wrong.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Effect, Either, ParseResult, Schema, Stream } from "effect"
import { BodyTooLarge, InvalidRequest, MalformedJson } from "./HttpError.js"

const tooLarge = (limit: number) =>
  new BodyTooLarge({ message: `The request body is larger than the limit of ${limit} bytes.`, limit })

const utf8 = new TextDecoder("utf-8", { fatal: true })

/** The raw body, refused as soon as it exceeds `limit` bytes (declared or actually sent). */
export const readBytes = (limit: number): Effect.Effect<Uint8Array, BodyTooLarge | MalformedJson, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const declared = Number(request.headers["content-length"])
    if (Number.isFinite(declared) && declared > limit) return yield* tooLarge(limit)
    const chunks: Array<Uint8Array> = []
    let size = 0
    yield* request.stream.pipe(
      Stream.mapError(() => new MalformedJson({ message: "The request body could not be read." })),
      Stream.runForEach((chunk) => {
        size += chunk.byteLength
        if (size > limit) return Effect.fail(tooLarge(limit))
        chunks.push(chunk)
        return Effect.void
      })
    )
    const bytes = new Uint8Array(size)
    let offset = 0
    for (const c of chunks) {
      bytes.set(c, offset)
      offset += c.byteLength
    }
    return bytes
  })

/** Parses JSON text that came from a client. */
export const parseJson = (bytes: Uint8Array | string): Either.Either<unknown, MalformedJson> => {
  let text: string
  try {
    text = typeof bytes === "string" ? bytes : utf8.decode(bytes)
  } catch {
    return Either.left(new MalformedJson({ message: "The request body is not valid UTF-8." }))
  }
  if (text.trim() === "") return Either.left(new MalformedJson({ message: "The request body is empty; a JSON object was expected." }))
  try {
    return Either.right(JSON.parse(text) as unknown)
  } catch (e) {
    const detail = e instanceof SyntaxError ? `: ${e.message.slice(0, 200)}` : ""
    return Either.left(new MalformedJson({ message: `The request body is not valid JSON${detail}.` }))
  }
}

const pathOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("")

const MAX_ISSUES = 20

/**
 * The issues of a parse error, by path. Describing the offending value can
 * overflow the stack on absurdly nested input: then only "not valid" is said.
 */
const describe = (error: ParseResult.ParseError): ReadonlyArray<{ readonly path: string; readonly message: string }> => {
  try {
    return ParseResult.ArrayFormatter.formatErrorSync(error).slice(0, MAX_ISSUES).map((i) => ({
      path: pathOf(i.path),
      message: i.message
    }))
  } catch {
    return [{ path: "", message: "the request is nested too deeply to describe" }]
  }
}

/** Decodes an untrusted value with a Schema; every problem is listed with its path. */
export const decodeWith = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "all" })
  return (u: unknown): Either.Either<A, InvalidRequest> =>
    Either.mapLeft(decode(u), (error) => {
      const issues = describe(error)
      const first = issues[0]
      const summary = first === undefined ? "" : `: ${first.path === "" ? "" : `${first.path}: `}${first.message}`
      return new InvalidRequest({ message: `The request is not valid${summary}`, issues })
    })
}

/** The request body, read within `maxBytes` and decoded with `schema`. */
export const jsonBody = <A, I>(
  schema: Schema.Schema<A, I>,
  maxBytes: number
): Effect.Effect<A, BodyTooLarge | MalformedJson | InvalidRequest, HttpServerRequest.HttpServerRequest> => {
  const decode = decodeWith(schema)
  return Effect.gen(function*() {
    const bytes = yield* readBytes(maxBytes)
    const json = yield* parseJson(bytes)
    return yield* decode(json)
  })
}
