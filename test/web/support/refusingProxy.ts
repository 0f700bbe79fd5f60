/**
 * A reverse proxy on 127.0.0.1 (port 0) in front of a dashboard server
 * that passes every HTTP request through and refuses every WebSocket
 * upgrade with 403, as some corporate proxies do: the page then has no
 * `/lsp` and must fall back to the compile loop.
 */
import { createServer, request } from "node:http"

export interface RefusingProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** How many WebSocket upgrades it refused. */
  readonly refused: () => number
  readonly close: () => Promise<void>
}

export const startRefusingProxy = async (target: string): Promise<RefusingProxy> => {
  const upstream = new URL(target)
  let refused = 0
  const server = createServer((req, res) => {
    const forwarded = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    forwarded.on("error", () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(forwarded)
  })
  server.on("upgrade", (_req, socket) => {
    refused++
    socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("expected a TCP address")
  return {
    url: `http://127.0.0.1:${address.port}`,
    refused: () => refused,
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
