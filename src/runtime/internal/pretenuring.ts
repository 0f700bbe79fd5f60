/**
 * V8's allocation-site pretenuring, turned off for the process when an
 * engine is made (unless `CONSTELLATION_V8_PRETENURING` is `true`).
 *
 * V8 watches where objects are allocated; a site whose objects mostly
 * survive a minor collection gets its later objects allocated straight in
 * the old generation. An execution holds its per-module objects until it
 * ends, so while executions run back to back most of them are alive at any
 * minor collection: V8 then pretenures them, and the dead ones, in the old
 * generation until a full collection, keep the young objects they point
 * to alive. Every minor collection copies what finished executions left
 * (measured: a 1,000-module batch run 1.3-1.5 -> 1.0 ms, a 10-module one
 * 0.11 -> 0.045 ms of CPU; docs/benchmarks.md).
 *
 * Process-wide, so the choice is the application's: the engine makes it
 * at its construction, before any execution has given V8 a reason to
 * pretenure; an application that wants V8's default sets the variable.
 * Outside Node (no `process.getBuiltinModule`) this does nothing.
 */

interface V8Flags { readonly setFlagsFromString: (flags: string) => void }

let turnedOff = false

/** Turns V8's allocation-site pretenuring off, once per process; true when it is off (now or before). */
export const turnOffPretenuring = (): boolean => {
  if (turnedOff) return true
  const proc = (globalThis as { readonly process?: { readonly getBuiltinModule?: (id: string) => unknown } }).process
  if (typeof proc?.getBuiltinModule !== "function") return false
  const v8 = proc.getBuiltinModule("node:v8") as Partial<V8Flags> | undefined
  if (typeof v8?.setFlagsFromString !== "function") return false
  v8.setFlagsFromString("--no-allocation-site-pretenuring")
  turnedOff = true
  return true
}
