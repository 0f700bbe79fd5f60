/**
 * Value codecs: untrusted JSON in, typed values out, and typed values back
 * to JSON. The boundary where inputs are checked against the pipeline's
 * declared types, with every problem reported by path.
 */
export { checkValue, decodeValue, InvalidValue } from "./codec/decode.js"
export { encodeValue } from "./codec/encode.js"
export { decodeInputs, InputError } from "./codec/inputs.js"
export { MAX_DEPTH, MAX_ISSUES } from "./codec/ValueIssue.js"
export type { ValueIssue } from "./codec/ValueIssue.js"
