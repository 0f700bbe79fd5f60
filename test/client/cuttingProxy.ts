/**
 * A TCP proxy on 127.0.0.1 in front of a test server that cuts
 * connections when the test says: each armed cut waits for its pattern in
 * what the server sends on some connection, forwards up to the end of the
 * match (so the cut falls inside an event, mid-frame) and destroys both
 * sockets, as a network failure would.
 */
import { createServer, connect } from "node:net"
import type { AddressInfo, Socket } from "node:net"

export interface CuttingProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Arms cuts, applied in order, each once: at the first match of its pattern in what the server sends. */
  readonly cutAt: (...patterns: ReadonlyArray<string>) => void
  /** How many cuts were made. */
  readonly cuts: () => number
  /** How many connections clients opened. */
  readonly connections: () => number
  /** Cuts every connection, and from now on every new one at once (the port stays taken: no other server can get it). */
  readonly refuse: () => void
  /** Stops accepting connections and destroys the open ones. */
  readonly close: () => Promise<void>
}

export const startCuttingProxy = async (upstreamUrl: string): Promise<CuttingProxy> => {
  const { hostname, port } = new URL(upstreamUrl)
  const pending: Array<string> = []
  const open = new Set<Socket>()
  let cuts = 0
  let connections = 0
  let refusing = false

  const server = createServer((client) => {
    connections++
    if (refusing) return void client.destroy()
    const upstream = connect(Number(port), hostname)
    open.add(client)
    open.add(upstream)
    let text = ""
    const cut = () => {
      cuts++
      client.destroy()
      upstream.destroy()
    }
    upstream.on("data", (chunk: Buffer) => {
      if (client.destroyed) return
      const before = text.length
      text += chunk.toString("latin1")
      const pattern = pending[0]
      const at = pattern === undefined ? -1 : text.indexOf(pattern, Math.max(0, before - pattern.length))
      if (pattern === undefined || at < 0) return void client.write(chunk)
      pending.shift()
      client.write(chunk.subarray(0, at + pattern.length - before), cut)
    })
    client.on("data", (chunk: Buffer) => upstream.write(chunk))
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      from.on("end", () => to.end())
      from.on("error", () => to.destroy())
      from.on("close", () => {
        open.delete(from)
        to.destroy()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    cutAt: (...patterns) => void pending.push(...patterns),
    cuts: () => cuts,
    connections: () => connections,
    refuse: () => {
      refusing = true
      for (const socket of open) socket.destroy()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      })
  }
}
