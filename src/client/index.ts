/**
 * The Constellation clients: a Promise client over `fetch` for browsers
 * and Node 20+ (`createClient`), and an Effect service over
 * `@effect/platform`'s `HttpClient` (`ConstellationHttpClient`). Both speak
 * the server's wire contract, checking what it sends against shapes
 * generated from its Schemas (no Schema in a browser's bundle), and report
 * failures as typed errors.
 *
 * @since 0.1.0
 */
export { createClient } from "./ConstellationClient.js"
export type { ClientOptions, ConstellationClient, ExecuteInput, RequestOptions } from "./ConstellationClient.js"
export type { ExecutionRequests, ListOptions } from "./executionRequests.js"
export { defaultResume } from "./ResumeOptions.js"
export type { ResumeOptions } from "./ResumeOptions.js"
export { decodeFollowFrame } from "./FollowFrame.js"
export type { FollowFrame, ResyncData, SnapshotData } from "./FollowFrame.js"
export type { ExecutionCreated, ExecutionList, ExecutionState, ExecutionStatus, ExecutionSummary } from "../protocol/executions.js"
export { connectSocket } from "./ExecutionSocket.js"
export type { ExecutionSocket, SocketExecuteInput, SocketOptions, WebSocketConstructor } from "./ExecutionSocket.js"
export { subscribe, isClientError } from "./subscribe.js"
export type { StreamHandlers } from "./subscribe.js"
// The Schema of the events, for code that wants it; the clients themselves check events against generated shapes.
export { StreamEvent } from "../protocol/events.js"
export { decodeEvent, isFinal, isExecutionError } from "./StreamEvent.js"
export type { ExecutionErrorData, OutputData, OutputErrorData, ProgressData, StreamEventName } from "./StreamEvent.js"
export {
  Aborted,
  ConnectFailed,
  ExecutionFailed,
  OutputFailed,
  ProtocolError,
  RequestRejected,
  StreamInterrupted
} from "./ClientError.js"
export type { ClientError } from "./ClientError.js"
export { makeResultCollector } from "./ResultCollector.js"
export type { ResultCollector } from "./ResultCollector.js"
export { makeEventDecoder } from "./EventDecoder.js"
export type { EventDecoder, FrameDecoder } from "./EventDecoder.js"
export type { BatchResponse, CompileResponse, ModulesResponse } from "../protocol/api.js"
export type { ErrorInfo } from "../protocol/errors.js"
export type { Value } from "../lang/value.js"
export { ConstellationHttpClient, make as makeHttpClient } from "./ConstellationHttpClient.js"
export type {
  ConstellationHttpClientOptions,
  ConstellationHttpClientShape,
  ConstellationSocket,
  HttpClientFailure
} from "./ConstellationHttpClient.js"
