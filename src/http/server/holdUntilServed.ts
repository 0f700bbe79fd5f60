/**
 * The platform's Node server listens while its layer is still being built
 * and attaches the routes' handler later: a request (or a WebSocket
 * upgrade) arriving in between had no listener and was never answered.
 * Here such a request is held, and handed to the handler the moment it is
 * attached; one not handed over within `holdMs` is answered 503 `starting`
 * with `Retry-After`. Once the handler is detached again (the server is
 * closing), a request still arriving on an open connection is answered 503
 * `shutting_down` at once. No request is ever left without an answer.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http"
import type { Duplex } from "node:stream"

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void
type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void

interface Held<A extends ReadonlyArray<unknown>> {
  readonly args: A
  readonly timer: NodeJS.Timeout
}

/** How long a request arriving before the handler is held, in milliseconds. */
export const HOLD_MS = 2_000

const body = (error: string, message: string) => JSON.stringify({ error, message })

const answers = {
  starting: body("starting", "The server is starting; retry shortly."),
  shutting_down: body("shutting_down", "The server is shutting down; retry on another instance.")
} as const
type Reason = keyof typeof answers

const respond = (response: ServerResponse, reason: Reason, retryAfterSeconds: number) => {
  if (response.headersSent) return
  response.writeHead(503, {
    "content-type": "application/json",
    "retry-after": String(retryAfterSeconds),
    connection: "close"
  })
  response.end(answers[reason])
}

const refuseUpgrade = (socket: Duplex, reason: Reason, retryAfterSeconds: number) => {
  const text = answers[reason]
  socket.end(
    `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n` +
      `retry-after: ${retryAfterSeconds}\r\nconnection: close\r\n\r\n${text}`
  )
}

/**
 * The listener for one kind of event (`request` or `upgrade`), to be
 * attached before any other: while it is the only one it holds or refuses
 * what arrives; once another is attached, the held ones are replayed to it
 * and the gate lets everything pass.
 */
const gate = <A extends ReadonlyArray<unknown>>(
  server: Server,
  event: "request" | "upgrade",
  holdMs: number,
  refuse: (args: A, reason: Reason) => void
): ((...args: A) => void) => {
  const held = new Set<Held<A>>()
  let served = false
  const listener = (...args: A) => {
    // Another listener is attached after this one: it answers.
    if (server.listenerCount(event) > 1) return
    if (served) return refuse(args, "shutting_down")
    const entry: Held<A> = {
      args,
      timer: setTimeout(() => {
        held.delete(entry)
        refuse(args, "starting")
      }, holdMs)
    }
    held.add(entry)
  }
  server.on("newListener", (name: string | symbol, handler: (...args: A) => void) => {
    if (name !== event || handler === listener || served) return
    served = true
    // `newListener` fires before the handler is added: replay once it is.
    queueMicrotask(() => {
      for (const entry of held) {
        clearTimeout(entry.timer)
        handler(...entry.args)
      }
      held.clear()
    })
  })
  return listener
}

/**
 * Makes `server` hold the requests and WebSocket upgrades that arrive
 * before the routes' handler is attached (see the module's comment);
 * returns it.
 */
export const holdUntilServed = <S extends Server>(
  server: S,
  options: { readonly holdMs?: number; readonly retryAfterSeconds?: number } = {}
): S => {
  const holdMs = options.holdMs ?? HOLD_MS
  const retryAfter = options.retryAfterSeconds ?? 1
  const request = gate<Parameters<RequestListener>>(server, "request", holdMs, ([, response], reason) => {
    respond(response, reason, retryAfter)
  })
  const upgrade = gate<Parameters<UpgradeListener>>(server, "upgrade", holdMs, ([, socket], reason) => {
    refuseUpgrade(socket, reason, retryAfter)
  })
  server.on("request", request)
  server.on("upgrade", upgrade)
  return server
}
