/**
 * The result of an execution as one answer: what `POST /execute` returns,
 * and what the clients fold a stream into, by the same rules
 * (`foldResult`, Schema-free in `resultFold.ts`).
 *
 * @since 0.2.0
 */
export { BatchResult, OutputStatus } from "../runtime/BatchResult.js"
export { foldResult, statusOf } from "./resultFold.js"
