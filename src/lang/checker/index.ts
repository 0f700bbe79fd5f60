/**
 * The type checker of constellation-lang.
 */
export { check } from "./check.js"
export type { CheckResult } from "./check.js"
export type * from "./CheckedProgram.js"
