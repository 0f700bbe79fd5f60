/**
 * Connections watched for errors for their whole life. Node takes its own
 * listeners off a connection when it hands it over as a WebSocket upgrade,
 * and the WebSocket library adds its own only once the handshake runs,
 * which the routes do after their checks (after loading the language
 * server, for `GET /lsp`): an `error` in between (a client that resets the
 * connection) had no listener, an uncaught exception that ends the process.
 * The connection is destroyed by the error either way, and its `close`
 * ends the request.
 */
import type { Server } from "node:http"
import type { Socket } from "node:net"

const ignore = (): void => {}

/** Makes `server` listen for errors on every connection it accepts (Node's own listener goes on answering them); returns it. */
export const watchConnectionErrors = <S extends Server>(server: S): S =>
  server.on("connection", (socket: Socket) => {
    socket.on("error", ignore)
  })
