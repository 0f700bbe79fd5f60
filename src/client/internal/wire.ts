/**
 * The checkers of what the server sends, typed by the protocol's Schemas
 * the shapes were generated from: each stream event's payload, each JSON
 * body, the `snapshot` and `resync` events of a followed execution and the
 * WebSocket refusal frame.
 *
 * @internal
 */
import { Either } from "effect"
import type { BatchResponse, CompileResponse, ModulesResponse } from "../../protocol/api.js"
import type { ErrorBody } from "../../protocol/errors.js"
import { isEventName } from "../../protocol/eventKinds.js"
import type { EventName } from "../../protocol/eventKinds.js"
import type { StreamEvent } from "../../protocol/events.js"
import type { ExecutionCreated, ExecutionList, ExecutionState, ResyncData, SnapshotData } from "../../protocol/executions.js"
import type { RefusalFrame } from "../../protocol/frames.js"
import { checker } from "./Shape.js"
import type { Issue } from "./Shape.js"
import { bodies, defs, events } from "./wireShapes.js"

/** A checker of one JSON body. */
export type BodyCheck<A> = (u: unknown) => Either.Either<A, Issue>

export const checkErrorBody: BodyCheck<ErrorBody> = checker(bodies.ErrorBody, defs)
export const checkBatchResponse: BodyCheck<BatchResponse> = checker(bodies.BatchResponse, defs)
export const checkCompileResponse: BodyCheck<CompileResponse> = checker(bodies.CompileResponse, defs)
export const checkModulesResponse: BodyCheck<ModulesResponse> = checker(bodies.ModulesResponse, defs)
export const checkRefusalFrame: BodyCheck<RefusalFrame> = checker(bodies.RefusalFrame, defs)
export const checkExecutionCreated: BodyCheck<ExecutionCreated> = checker(bodies.ExecutionCreated, defs)
export const checkExecutionState: BodyCheck<ExecutionState> = checker(bodies.ExecutionState, defs)
export const checkExecutionList: BodyCheck<ExecutionList> = checker(bodies.ExecutionList, defs)
export const checkSnapshot: BodyCheck<SnapshotData> = checker(bodies.SnapshotData, defs)
export const checkResync: BodyCheck<ResyncData> = checker(bodies.ResyncData, defs)

const payloadCheckers = new Map(Object.entries(events).map(([name, shape]) => [name, checker<StreamEvent["data"]>(shape, defs)]))

/** Whether `name` is an event this client knows (and has a shape for). */
export const isKnownEvent = (name: string): name is EventName => isEventName(name) && payloadCheckers.has(name)

/**
 * The payload of a known event, checked. The shape of `name` is the Schema
 * of that event's payload, so the pair is the `StreamEvent` of that name.
 */
export const checkPayload = (name: EventName, payload: unknown): Either.Either<StreamEvent, Issue> => {
  const check = payloadCheckers.get(name)
  if (check === undefined) throw new Error(`no shape for the event ${name}`)
  return Either.map(check(payload), (data) => ({ event: name, data }) as StreamEvent)
}
