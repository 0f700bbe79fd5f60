/**
 * The fold of events into the batch answer, by the server's rules
 * (`foldResult`), without Schema: what the Promise client folds a stream
 * with, so a browser's bundle does without Schema. `result.ts` re-exports
 * it next to the answer's Schema.
 *
 * @since 0.2.0
 */
export { foldResult, statusOf } from "../runtime/foldResult.js"
