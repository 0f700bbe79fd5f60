/**
 * The server under test of bench/http, in a child process: the real
 * service (`serverLayer`), its settings from the environment like
 * `npm start` (the parent sets `HOST`, `PORT=0`, `MAX_CONCURRENT_EXECUTIONS`).
 */
import * as HttpServer from "@effect/platform/HttpServer"
import { Effect, Layer, ManagedRuntime } from "effect"
import { configLayer, serverLayer } from "../src/http/server/server.js"
import { serveControl } from "./httpProcess.js"

const runtime = ManagedRuntime.make(serverLayer({ quiet: true }).pipe(Layer.provideMerge(configLayer)))
const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (server) => server.address))
if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
serveControl(address.port, () => Promise.race([runtime.dispose(), new Promise<void>((r) => setTimeout(r, 3_000).unref())]))
