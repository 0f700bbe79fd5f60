/**
 * The result of an execution as one answer: what `POST /execute` returns,
 * and what the clients fold a stream into, by the same rules
 * (`foldResult`).
 *
 * @since 0.2.0
 */
export { BatchResult, foldResult, OutputStatus, statusOf } from "../runtime/BatchResult.js"
