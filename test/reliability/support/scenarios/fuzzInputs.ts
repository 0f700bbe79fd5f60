/**
 * The hostile inputs of the fuzz suite, as fast-check arbitraries: request
 * bodies (random and adversarial JSON, wrong types, huge strings, deep
 * nesting, invalid UTF-8), constellation-lang sources (random token soup
 * and deeply nested expressions of every kind), content types, raw bytes
 * that are barely or not HTTP, and WebSocket frames.
 */
import fc from "fast-check"

const utf8 = new TextEncoder()

/** A body as sent on the wire. */
export type Body = string | Uint8Array

const hello = "in t: String\nu = Uppercase(t)\nout u"

/** Nesting builders: each gives an expression (or declaration) nested `d` deep. */
const nested: ReadonlyArray<(d: number) => string> = [
  (d) => `y = ${"(".repeat(d)}x${")".repeat(d)}\nout y`,
  (d) => `y = ${"Uppercase(".repeat(d)}t${")".repeat(d)}\nout y`,
  (d) => `y = ${"[".repeat(d)}1${"]".repeat(d)}\nout y`,
  (d) => `y = ${"{a: ".repeat(d)}1${"}".repeat(d)}\nout y`,
  (d) => `y = ${"not ".repeat(d)}true\nout y`,
  (d) => `y = ${"if (true) 1 else ".repeat(d)}2\nout y`,
  (d) => `y = ${"\"${".repeat(d)}t${"}\"".repeat(d)}\nout y`,
  (d) => `in z: ${"List<".repeat(d)}Int${">".repeat(d)}\nout z`,
  (d) => `in z: ${"{a: ".repeat(d)}Int${"}".repeat(d)}\nout z`,
  (d) => `y = x${" + x".repeat(d)}\nout y`,
  (d) => `y = x${" ?? x".repeat(d)}\nout y`,
  (d) => `y = t${" when true".repeat(d)}\nout y`,
  (d) => `y = ${"Uppercase(t) with fallback: ".repeat(d)}t\nout y`,
  (d) => `y = ${"(".repeat(d)}`,
  (d) => `y = ${"[{a: (".repeat(d)}`,
  (d) => `${"#".repeat(d)}\nout t`,
  (d) => `y = x${".a".repeat(d)}\nout y`,
  (d) => Array.from({ length: Math.min(d, 4000) }, (_, i) => `v${i} = ${i === 0 ? "x" : `v${i - 1}`} + 1`).join("\n") + "\nout v0"
]

/** Deeply nested sources: 1 to 30,000 levels, within and beyond the source limit. */
export const deepSource: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: nested.length - 1 }), fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 250, max: 30_000 })))
  .map(([k, d]) => `in t: String\nin x: Int\n${nested[k]!(d)}`)

const tokens = [
  "in", "out", "with", "if", "else", "when", "not", "and", "or", "true", "false", "x", "t", "y", "z", "__proto__", "constructor",
  "Uppercase", "Delay", "Concat", "SlowQuery", "Range", "FlakyService", "eval", "require", "import", "process",
  "(", ")", "[", "]", "{", "}", ",", ":", "=", "+", "-", "*", "/", "==", "!=", "<", ">=", "??", ".", "\"", "\"${", "${", "\\",
  "#", "\n", " ", "\t", "\r", "String", "Int", "Float", "Boolean", "List<", "Optional<", ">", "1", "0", "-1", "1.5", "9007199254740993",
  "1e308", "1e999", "timeout: 1ms", "retry: 3", "retry: 999999999", "delay: 1h", "fallback:", "backoff: capped", "@example(", "\u0000",
  "\uFFFF", "\uD800", "😀", "é", "\u202E", "'", "`", ";", "$"
]

/** Random token soup, and random edits of a valid pipeline. */
export const randomSource: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...tokens), { maxLength: 120 }).chain((ts) => fc.constantFrom(ts.join(" "), ts.join(""))),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.tuple(fc.integer({ min: 0, max: hello.length }), fc.array(fc.constantFrom(...tokens), { maxLength: 8 }))
    .map(([at, ts]) => hello.slice(0, at) + ts.join(" ") + hello.slice(at))
)

const anyValue = fc.oneof(fc.jsonValue(), fc.string(), fc.constant(null), fc.double(), fc.integer())

/** A deeply nested JSON text (arrays or objects), 1 to `max` levels. */
const deepJson = (max: number) =>
  fc.tuple(fc.boolean(), fc.integer({ min: 1, max })).map(([arrays, d]) =>
    arrays ? `${"[".repeat(d)}${"]".repeat(d)}` : `${"{\"a\":".repeat(d)}1${"}".repeat(d)}`
  )

/** Bodies for `POST /execute`, `/execute/stream` and `/compile`. */
export const body = (maxBodyBytes: number): fc.Arbitrary<Body> =>
  fc.oneof(
    fc.string(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.record({ source: fc.oneof(randomSource, deepSource, anyValue), inputs: fc.oneof(anyValue, fc.constant({ t: "a", x: 1 })) }, { requiredKeys: [] })
      .map((v) => JSON.stringify(v)),
    fc.record({ source: fc.constant(hello), inputs: fc.dictionary(fc.string(), anyValue), progress: anyValue, deadlineMs: anyValue, maxBuffered: anyValue }, {
      requiredKeys: ["source"]
    }).map((v) => JSON.stringify(v)),
    fc.record({ ref: fc.oneof(fc.string(), fc.string().map((s) => `sha256:${s}`), anyValue), inputs: anyValue }).map((v) => JSON.stringify(v)),
    deepJson(200_000).chain((j) => fc.constantFrom(j, `{"source": ${j}}`, `{"source": ${JSON.stringify(hello)}, "inputs": {"t": ${j}}}`)),
    fc.constantFrom(
      `{"source": ${JSON.stringify(hello)}, "inputs": {"t": "a"}, "__proto__": {"polluted": true}}`,
      `{"source": ${JSON.stringify(hello)}, "inputs": {"__proto__": {"t": "a"}}}`,
      `{"constructor": {"prototype": {"polluted": true}}, "source": ${JSON.stringify(hello)}}`,
      `{"source": "a", "source": ${JSON.stringify(hello)}, "inputs": {"t": "x"}}`,
      `{"source": ${JSON.stringify(hello)}, "inputs": {"t": 1e999}}`,
      `{"source": ${JSON.stringify(hello)}, "deadlineMs": 1e999}`,
      `{"source": ${JSON.stringify(hello)}, "maxBuffered": -0}`,
      "null", "[]", "\"source\"", "1", "{}", " ", "\ufeff{}"
    ),
    fc.integer({ min: maxBodyBytes - 64, max: maxBodyBytes + 64 }).map((n) =>
      JSON.stringify({ source: hello, inputs: { t: "a".repeat(Math.max(0, n - 60)) } })
    ),
    fc.tuple(fc.jsonValue().map((v) => JSON.stringify({ source: hello, inputs: { t: v } })), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat())
      .map(([text, junk, at]) => {
        const bytes = utf8.encode(text)
        const i = at % (bytes.length + 1)
        const out = new Uint8Array(bytes.length + junk.length)
        out.set(bytes.slice(0, i))
        out.set(junk.map((b) => b | 0x80), i)
        out.set(bytes.slice(i), i + junk.length)
        return out
      })
  )

/** Content types, JSON and otherwise. */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constantFrom(
    undefined, "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/vnd.api+json", "text/plain",
    "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "",
    "application/json, text/plain", "text/event-stream", "application/jsonx", "json"
  ),
  fc.stringMatching(/^[a-z]{1,10}\/[a-z+.-]{1,20}$/)
)

const methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT", "BREW", "get", "P0ST", ""]
const paths = ["/execute", "/execute/stream", "/execute/ws", "/compile", "/modules", "/health", "/metrics", "/", "/%", "/%00", "/..%2f..%2fetc%2fpasswd", "/execute/../compile", "//execute", "*", "/docs", "/openapi.json", "/examples/../../package.json"]

/** Raw bytes to the server's socket: requests that are barely, or not at all, HTTP. */
export const rawRequest: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 512 }),
  fc.string({ maxLength: 300 }),
  fc.tuple(fc.constantFrom(...methods), fc.oneof(fc.constantFrom(...paths), fc.string({ maxLength: 50 })), fc.constantFrom("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9", "", "http/1.1"))
    .map(([m, p, v]) => `${m} ${p} ${v}\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`),
  fc.tuple(fc.constantFrom(...paths), fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }))
    .map(([p, k, v]) => `GET ${p} HTTP/1.1\r\nhost: 127.0.0.1\r\n${k}: ${v}\r\nconnection: close\r\n\r\n`),
  fc.integer({ min: 10_000, max: 100_000 }).map((n) => `GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-big: ${"a".repeat(n)}\r\n\r\n`),
  fc.integer({ min: 10_000, max: 100_000 }).map((n) => `GET /${"a".repeat(n)} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`),
  fc.constantFrom(
    "POST /execute HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "POST /execute HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ncontent-length: 7\r\n\r\n{}{}{}{}",
    "POST /execute HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n{}",
    "POST /execute HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
    "GET /health HTTP/1.1\r\n\r\n",
    "GET /health HTTP/1.1\r\nhost: x\r\nbad header\r\n\r\n",
    "GET /health HTTP/1.1\r\nhost: x\r\nx-a: \u0001\r\n\r\n",
    "GET /execute/ws HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\nsec-websocket-version: 13\r\n\r\n",
    "GET /execute/ws HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\nsec-websocket-key: nope\r\nsec-websocket-version: 99\r\n\r\n",
    "\r\n\r\n\r\n",
    "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
  )
)

/** WebSocket frames: text, binary, JSON of every shape, over-large. */
export const wsFrame = (maxFrameBytes: number): fc.Arbitrary<string | Uint8Array> =>
  fc.oneof(
    fc.string(),
    fc.uint8Array({ maxLength: 64 }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.record({ type: fc.oneof(fc.constantFrom("execute", "cancel", "EXECUTE", "ping", ""), anyValue), id: anyValue, source: fc.oneof(randomSource, anyValue), inputs: anyValue }, {
      requiredKeys: []
    }).map((v) => JSON.stringify(v)),
    fc.constantFrom(
      JSON.stringify({ type: "execute", id: "dup", source: "in t: String\nl = SlowApiCall(t)\nout l", inputs: { t: "x" } }),
      JSON.stringify({ type: "cancel", id: "dup" }),
      JSON.stringify({ type: "cancel", id: "nothing" }),
      "x".repeat(maxFrameBytes + 1),
      "x".repeat(8 * maxFrameBytes)
    ),
    deepJson(Math.ceil(maxFrameBytes / 3))
  )
