/**
 * WebSocket pings, the counterpart of the SSE keepalive: every interval
 * the server pings the client, which keeps proxies from closing a quiet
 * connection; a client that has answered neither the last ping nor sent
 * anything since is gone (a dropped network, a frozen peer) and its
 * connection is terminated, which interrupts its executions.
 *
 * Not while frames of ours are still on their way (`busy`): a client that
 * reads slowly may have the ping queued behind them, and is held back by
 * backpressure, not cut off.
 */

/** What the heartbeat needs of the server's WebSocket (the `ws` library's). */
interface Pingable {
  ping(): void
  terminate(): void
  on(event: "pong", listener: () => void): unknown
  off(event: "pong", listener: () => void): unknown
}

const isPingable = (u: unknown): u is Pingable =>
  typeof u === "object" && u !== null &&
  ["ping", "terminate", "on", "off"].every((m) => typeof (u as Record<string, unknown>)[m] === "function")

export interface Heartbeat {
  /** Something arrived from the client: it is alive. */
  readonly alive: () => void
  readonly stop: () => void
}

/** Starts pinging `socket` every `intervalMs`; a socket that cannot be pinged gets a heartbeat that does nothing. */
export const startHeartbeat = (socket: unknown, intervalMs: number, busy: () => boolean = () => false): Heartbeat => {
  if (!isPingable(socket)) return { alive: () => undefined, stop: () => undefined }
  let answered = true
  const alive = () => void (answered = true)
  const timer = setInterval(() => {
    if (!answered) {
      // The last ping may still be queued behind our frames: wait for it.
      if (busy()) return
      stop()
      return socket.terminate()
    }
    answered = false
    try {
      socket.ping()
    } catch {
      // Not open any more: the close that follows ends the session.
    }
  }, intervalMs)
  timer.unref?.()
  socket.on("pong", alive)
  const stop = () => {
    clearInterval(timer)
    socket.off("pong", alive)
  }
  return { alive, stop }
}
