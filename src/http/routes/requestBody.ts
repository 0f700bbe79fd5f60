/**
 * Reading request bodies: sent as JSON (or with no content type), at most
 * the configured number of bytes (as sent, and again once decompressed
 * when sent with a `Content-Encoding` of gzip, deflate or br), valid
 * UTF-8, valid JSON, then decoded with a Schema. Each failure is a 4xx
 * error saying what was wrong.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import { Effect, Either, ParseResult, Schema, Stream } from "effect"
import { IncomingMessage, ServerResponse } from "node:http"
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from "node:zlib"
import { BodyTooLarge, InvalidRequest, MalformedJson, UnsupportedMediaType } from "../HttpError.js"

const tooLarge = (limit: number) =>
  new BodyTooLarge({ message: `The request body is larger than the limit of ${limit} bytes.`, limit })

const unreadable = () => new MalformedJson({ message: "The request body could not be read." })

const utf8 = new TextDecoder("utf-8", { fatal: true })

const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const c of chunks) {
    bytes.set(c, offset)
    offset += c.byteLength
  }
  return bytes
}

/** The Node request under `request`, when it came from a Node server (not a web `Request`). */
const nodeRequestOf = (request: HttpServerRequest.HttpServerRequest): IncomingMessage | undefined => {
  const source: unknown = NodeHttpServerRequest.toIncomingMessage(request)
  return source instanceof IncomingMessage ? source : undefined
}

/**
 * A refused body is not read any further: what is still coming is
 * discarded, and the connection closes once the 413 is sent (rather than
 * reading an upload of any size to keep it open).
 */
const refuse = (request: HttpServerRequest.HttpServerRequest, incoming: IncomingMessage | undefined, limit: number) => {
  if (incoming !== undefined) {
    const response: unknown = NodeHttpServerRequest.toServerResponse(request)
    if (response instanceof ServerResponse && !response.headersSent) response.setHeader("connection", "close")
    incoming.resume()
  }
  return tooLarge(limit)
}

/**
 * A Node request's body: collected from its events in one `Effect.async`,
 * or taken from its buffer at once when it has all arrived already.
 */
const readNode = (
  request: HttpServerRequest.HttpServerRequest,
  incoming: IncomingMessage,
  limit: number
): Effect.Effect<Uint8Array, BodyTooLarge | MalformedJson> => {
  if (incoming.readableEnded) return Effect.succeed(new Uint8Array(0))
  if (incoming.complete) {
    // The parser has pushed every chunk: one read takes them all.
    const chunk: unknown = incoming.read()
    const bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(0)
    return bytes.byteLength > limit ? Effect.fail(refuse(request, incoming, limit)) : Effect.succeed(bytes)
  }
  return Effect.async<Uint8Array, BodyTooLarge | MalformedJson>((resume) => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    const done = (result: Effect.Effect<Uint8Array, BodyTooLarge | MalformedJson>) => {
      cleanup()
      resume(result)
    }
    const onData = (chunk: Uint8Array) => {
      size += chunk.byteLength
      if (size > limit) return done(Effect.fail(refuse(request, incoming, limit)))
      chunks.push(chunk)
    }
    const onEnd = () => done(Effect.succeed(concat(chunks, size)))
    const onError = () => done(Effect.fail(unreadable()))
    const onClose = () => {
      if (!incoming.readableEnded) onError()
    }
    const cleanup = () => {
      incoming.off("data", onData)
      incoming.off("end", onEnd)
      incoming.off("error", onError)
      incoming.off("close", onClose)
    }
    incoming.on("data", onData)
    incoming.on("end", onEnd)
    incoming.on("error", onError)
    incoming.on("close", onClose)
    return Effect.sync(cleanup)
  })
}

/** Any other request's body (a web `Request` in-process), through its stream. */
const readStream = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<Uint8Array, BodyTooLarge | MalformedJson> =>
  Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    return request.stream.pipe(
      Stream.mapError(unreadable),
      Stream.runForEach((chunk) => {
        size += chunk.byteLength
        if (size > limit) return Effect.fail(tooLarge(limit))
        chunks.push(chunk)
        return Effect.void
      }),
      Effect.andThen(() => concat(chunks, size))
    )
  })

/**
 * The raw body, refused as soon as it exceeds `limit` bytes (declared or
 * actually sent). A Node request is read from its own events, without an
 * Effect Stream: the cheapest way, and the way of every real request.
 */
export const readBytes = (limit: number): Effect.Effect<Uint8Array, BodyTooLarge | MalformedJson, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => readBytesOf(request, limit))

const readBytesOf = (request: HttpServerRequest.HttpServerRequest, limit: number): Effect.Effect<Uint8Array, BodyTooLarge | MalformedJson> => {
  const incoming = nodeRequestOf(request)
  const declared = Number(request.headers["content-length"])
  if (Number.isFinite(declared) && declared > limit) return Effect.fail(refuse(request, incoming, limit))
  return incoming === undefined ? readStream(request, limit) : readNode(request, incoming, limit)
}

/**
 * Whether a `Content-Type` may carry JSON: none at all, `application/json`
 * or a `+json` type. The types a browser may send cross-site without asking
 * first (`text/plain`, forms) are refused, so no other site's page can run
 * a pipeline through a visitor's browser.
 */
export const isJsonContentType = (header: string | undefined): boolean => {
  if (header === undefined || header.trim() === "") return true
  const type = (header.split(";")[0] ?? "").trim().toLowerCase()
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type)
}

const unsupported = (header: string | undefined): UnsupportedMediaType | undefined => {
  if (isJsonContentType(header)) return undefined
  const contentType = (header ?? "").slice(0, 100)
  return new UnsupportedMediaType({ message: `The body must be JSON (Content-Type: application/json), not ${contentType}.`, contentType })
}

/** Fails with 415 unless the request's body is declared as JSON (or not declared). */
export const requireJson: Effect.Effect<void, UnsupportedMediaType, HttpServerRequest.HttpServerRequest> = Effect.flatMap(
  HttpServerRequest.HttpServerRequest,
  (request) => {
    const refused = unsupported(request.headers["content-type"])
    return refused === undefined ? Effect.void : Effect.fail(refused)
  }
)

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

type Inflate = (bytes: Uint8Array, options: { readonly maxOutputLength: number }) => Uint8Array

/** HTTP's "deflate" is zlib-wrapped, but some clients send it raw: both are read. */
const inflateEither: Inflate = (bytes, options) => {
  try {
    return inflateSync(bytes, options)
  } catch (error) {
    if (isTooLarge(error)) throw error
    return inflateRawSync(bytes, options)
  }
}

const decoders: ReadonlyMap<string, Inflate> = new Map<string, Inflate>([
  ["gzip", gunzipSync],
  ["x-gzip", gunzipSync],
  ["deflate", inflateEither],
  ["br", brotliDecompressSync]
])

const isTooLarge = (error: unknown): boolean =>
  error instanceof RangeError || (error instanceof Error && "code" in error && error.code === "ERR_BUFFER_TOO_LARGE")

/** Content codings undone on one body, at most (each may expand it up to the limit). */
const MAX_CODINGS = 4

/** The codings of a `Content-Encoding` header, in the order they were applied (`identity` left out). */
const codingsOf = (header: string | undefined): ReadonlyArray<string> =>
  header === undefined ? [] : header.split(",").map((c) => c.trim().toLowerCase()).filter((c) => c !== "" && c !== "identity")

/** The refusal of a `Content-Encoding` this server cannot undo, if it is one. */
export const unsupportedEncoding = (header: string | undefined, contentType: string | undefined): UnsupportedMediaType | undefined => {
  const codings = codingsOf(header)
  const refuse = (message: string) => new UnsupportedMediaType({ message, contentType: (contentType ?? "").slice(0, 100) })
  if (codings.length > MAX_CODINGS) {
    return refuse(`The request body's Content-Encoding lists ${codings.length} codings; at most ${MAX_CODINGS} are undone.`)
  }
  const unknown = codings.find((c) => !decoders.has(c))
  if (unknown === undefined) return undefined
  return refuse(`The request body's Content-Encoding "${unknown.slice(0, 50)}" is not supported: send it as gzip, deflate, br or uncompressed.`)
}

/** The body with its content codings undone, at most `limit` bytes once decompressed. */
export const decompress = (
  header: string | undefined,
  bytes: Uint8Array,
  limit: number
): Either.Either<Uint8Array, BodyTooLarge | MalformedJson> => {
  let out = bytes
  for (const coding of [...codingsOf(header)].reverse()) {
    try {
      out = decoders.get(coding)!(out, { maxOutputLength: limit })
    } catch (error) {
      return Either.left(isTooLarge(error) ? tooLarge(limit) : new MalformedJson({ message: `The request body is not valid ${coding} data.` }))
    }
  }
  return Either.right(out)
}

/** The request body, read within `maxBytes` and decoded with `schema`. */
export const jsonBody = <A, I>(
  schema: Schema.Schema<A, I>,
  maxBytes: number
): Effect.Effect<A, UnsupportedMediaType | BodyTooLarge | MalformedJson | InvalidRequest, HttpServerRequest.HttpServerRequest> => {
  const decode = decodeWith(schema)
  // Parsing and decoding are synchronous: an `Either` is an Effect, so they take no step of their own.
  const parse = (bytes: Uint8Array): Either.Either<A, MalformedJson | InvalidRequest> => Either.flatMap(parseJson(bytes), decode)
  return Effect.flatMap(
    HttpServerRequest.HttpServerRequest,
    (request): Effect.Effect<A, UnsupportedMediaType | BodyTooLarge | MalformedJson | InvalidRequest> => {
      const refused = unsupported(request.headers["content-type"]) ??
        unsupportedEncoding(request.headers["content-encoding"], request.headers["content-type"])
      if (refused !== undefined) return Effect.fail(refused)
      const encoding = request.headers["content-encoding"]
      return Effect.flatMap(
        readBytesOf(request, maxBytes),
        encoding === undefined ? parse : (bytes) => Either.flatMap(decompress(encoding, bytes, maxBytes), parse)
      )
    }
  )
}
