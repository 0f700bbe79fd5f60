/**
 * The WebSocket frames of `GET /execute/ws`, both ways. The client sends
 * `execute` and `cancel`; the server answers with one frame per event of
 * each execution (`{"type": <event name>, "id": <client id>, ...payload}`,
 * the payloads of `events.ts`), and with a refusal frame for a request that
 * never ran or a frame it could not handle.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { ErrorInfo } from "../runtime/ExecutionEvent.js"
import { executeFields, oneOfSourceOrRef } from "./api.js"
import type { WireEvent } from "./events.js"

export { isRefusal } from "./eventKinds.js"

/** A client's name for one of its WebSocket executions. */
export const ClientId = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200))

/** WebSocket `{"type": "execute", "id", ...}`: `type` may be left out; `id` defaults to the execution id. */
export const WsExecuteFrame = Schema.Struct({
  type: Schema.optionalWith(Schema.Literal("execute"), { exact: true }),
  id: Schema.optionalWith(ClientId, { exact: true }),
  ...executeFields
}).pipe(Schema.filter((r) => oneOfSourceOrRef(r)), Schema.annotations({ identifier: "WsExecuteFrame" }))
export type WsExecuteFrame = typeof WsExecuteFrame.Type

/** WebSocket `{"type": "cancel", "id"}`. */
export const WsCancelFrame = Schema.Struct({ type: Schema.Literal("cancel"), id: ClientId }).annotations({
  identifier: "WsCancelFrame"
})

/**
 * `{"type": "error", "id", "error", "isFinal": true, ...details}`: a request
 * refused before it ran (the same code and details as the HTTP error body),
 * or a frame the server could not handle (`id` null when it could not tell
 * whose). It has no `executionId`: nothing ran.
 */
export const RefusalFrame = Schema.Struct(
  {
    type: Schema.Literal("error"),
    id: Schema.NullOr(Schema.String),
    error: ErrorInfo,
    isFinal: Schema.Literal(true)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
).annotations({ identifier: "RefusalFrame" })
export type RefusalFrame = typeof RefusalFrame.Type

/** The refusal frame of an HTTP error body (`{"error": code, "message", ...details}`). */
export const refusalFrame = (
  id: string | null,
  body: { readonly error: string; readonly message: string; readonly [detail: string]: unknown }
): RefusalFrame => {
  const { error: code, message, ...details } = body
  return { ...details, type: "error", id, error: { code, message, module: null }, isFinal: true }
}


/** The frame of one event of the execution the client calls `id`. */
export const eventFrame = (id: string, wire: WireEvent): string => JSON.stringify({ type: wire.event, id, ...wire.data })
