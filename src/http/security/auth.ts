/**
 * API-key authentication: when `API_KEYS` is set, every request but the
 * health checks carries a key as `Authorization: Bearer <key>` (401
 * without one, 403 with a wrong one). Browsers cannot set headers on a
 * WebSocket, so an upgrade may instead offer the subprotocol `bearer.<key>`
 * (next to a first one, e.g. `constellation`, which the server selects).
 * Nor can an `EventSource`: `GET /executions/{id}/events?token=<t>` is
 * let in with the token `POST /executions` gave for that one execution
 * (compared in constant time); a key is never put in a URL.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import { Effect } from "effect"
import type { AccessShape } from "./Access.js"
import { Forbidden, toResponse, Unauthorized } from "../HttpError.js"
import * as RequestId from "../routes/requestId.js"
import * as Web from "../../web/serve.js"

/** Paths anyone may call: the health checks of load balancers and orchestrators. */
// The dashboard's page and assets hold no data; the page asks for the key itself.
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(["/health", "/health/ready", ...Web.paths])

/** The prefix of a WebSocket subprotocol carrying a key. */
export const SUBPROTOCOL_PREFIX = "bearer."

const BEARER = /^Bearer +(\S+) *$/i

const pathOf = (url: string): string => {
  const end = url.search(/[?#]/)
  return end < 0 ? url : url.slice(0, end)
}

const isUpgrade = (headers: Readonly<Record<string, string | undefined>>): boolean =>
  (headers["upgrade"] ?? "").toLowerCase() === "websocket"

/** The key a request presents, if any. */
export const presentedKey = (headers: Readonly<Record<string, string | undefined>>): string | undefined => {
  const bearer = BEARER.exec(headers["authorization"] ?? "")?.[1]
  if (bearer !== undefined || !isUpgrade(headers)) return bearer
  const offered = (headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim())
  const carrying = offered.find((p) => p.startsWith(SUBPROTOCOL_PREFIX))
  return carrying?.slice(SUBPROTOCOL_PREFIX.length)
}

const unauthorized = new Unauthorized({
  message: "This server requires an API key: send it as `Authorization: Bearer <key>`."
})
const forbidden = new Forbidden({ message: "The API key is not valid." })

/** Whether a request's URL carries a token that lets it in without a key (`valid`), one that does not (`invalid`), or none. */
export type TokenCheck = (path: string, url: string) => "valid" | "invalid" | "none"

const EVENTS_PATH = /^\/executions\/([^/]+)\/events$/

/** The check of execution event tokens: `?token=` on `/executions/{id}/events`, for that id. */
export const eventTokens = (retained: { readonly tokenMatches: (executionId: string, token: string) => boolean }): TokenCheck =>
(path, url) => {
  const query = url.indexOf("?")
  if (query < 0) return "none"
  const token = new URLSearchParams(url.slice(query + 1)).get("token")
  if (token === null) return "none"
  const id = EVENTS_PATH.exec(path)?.[1]
  return id !== undefined && retained.tokenMatches(safeDecode(id), token) ? "valid" : "invalid"
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

const badToken = new Forbidden({ message: "The token is not valid for this execution's events (tokens are given by POST /executions, one per execution)." })

/** The middleware; inside the edge, so its answers carry the request id. A no-op when no key is configured. */
export const authenticate = (access: AccessShape, tokens: TokenCheck = () => "none") =>
(
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, HttpLayerRouter.unhandled>
): Effect.Effect<HttpServerResponse.HttpServerResponse, HttpLayerRouter.unhandled, HttpServerRequest.HttpServerRequest> =>
  !access.authRequired ? app : Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const path = pathOf(request.url)
    if (PUBLIC_PATHS.has(path)) return app
    const key = presentedKey(request.headers)
    if (key !== undefined && access.isKey(key)) return app
    const token = key === undefined ? tokens(path, request.url) : "none"
    if (token === "valid") return app
    return Effect.succeed(toResponse(token === "invalid" ? badToken : key === undefined ? unauthorized : forbidden, RequestId.of(request)))
  })
