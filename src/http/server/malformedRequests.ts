/**
 * Requests too malformed for Node's HTTP parser (bad request line or
 * headers, headers too large, a request timeout) never reach the routes:
 * Node answers them itself with a bare status line. Here they get the same
 * JSON error body as every other answer, and the connection is closed.
 */
import type { Server } from "node:http"
import type { Duplex } from "node:stream"

const answers: Readonly<Record<string, readonly [number, string, string, string]>> = {
  HPE_HEADER_OVERFLOW: [431, "Request Header Fields Too Large", "headers_too_large", "The request headers are too large."],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "Request Timeout", "request_timeout", "The request was not received in time."]
}
const badRequest = [400, "Bad Request", "bad_request", "The request is not valid HTTP."] as const

/** The raw HTTP answer to a parser error `code`. */
export const rawAnswer = (code: string | undefined): string => {
  const [status, reason, error, message] = (code === undefined ? undefined : answers[code]) ?? badRequest
  const body = JSON.stringify({ error, message })
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
}

/** Makes `server` answer its client errors with JSON; returns it. */
export const answerClientErrors = <S extends Server>(server: S): S =>
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex & { readonly bytesWritten?: number }) => {
    // Nothing can be said once a response has begun, or on a connection already gone.
    if (error.code === "ECONNRESET" || !socket.writable || (socket.bytesWritten ?? 0) > 0) {
      socket.destroy()
      return
    }
    socket.end(rawAnswer(error.code))
  })
