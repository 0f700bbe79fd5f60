/**
 * A misbehaving server for the failure paths a real one rarely shows: a
 * socket destroyed mid-stream, a response ended before the final event, an
 * HTML page instead of an event stream. Listens on 127.0.0.1, port 0.
 */
import { createServer } from "node:http"
import type { ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface FakeServer {
  readonly url: string
  readonly close: () => Promise<void>
}

export const startFakeServer = async (handle: (response: ServerResponse) => void): Promise<FakeServer> => {
  const server = createServer((request, response) => {
    request.resume()
    request.on("end", () => handle(response))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** The first event of a stream, as the real server frames it. */
export const firstFrame = `: execution x1\n\nevent: output\nid: quick\ndata: ${
  JSON.stringify({ executionId: "x1", seq: 0, timestamp: 1, name: "quick", value: "Q", isFinal: false, fromFallback: false })
}\n\n`

export const sseHeaders = { "content-type": "text/event-stream", "cache-control": "no-cache" }
