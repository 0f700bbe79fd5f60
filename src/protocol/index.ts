/**
 * The wire contract, defined once: what the HTTP service sends and
 * accepts, imported by the server, the clients, the CLI and the dashboard.
 *
 * - `api`: the JSON bodies of requests and answers;
 * - `events`: the events of an execution (SSE and WebSocket alike);
 * - `frames`: the WebSocket frames, both ways;
 * - `result`: the batch answer, and the fold of events into it;
 * - `errors`: the body of every error answer.
 *
 * @since 0.2.0
 */
export * from "./api.js"
export * from "./errors.js"
export * from "./events.js"
export * from "./frames.js"
export * from "./result.js"
