/**
 * The size of V8's young generation while the server starts. Startup
 * allocates mostly what lives as long as the process (modules, schemas,
 * routes), so V8 would grow the young generation from 1 MB to 16 MB
 * semi-spaces for it, and keep them at idle: about 14 MB of RSS.
 * `scripts/start.mjs` keeps it at its initial size until the server
 * listens (`--semi-space-growth-factor=1`); `restoreGrowth` then gives V8
 * back its default, so a load grows it as before. A
 * `--semi-space-growth-factor` given to Node is left alone.
 */
import { Effect } from "effect"
import v8 from "node:v8"

/** V8's default `--semi-space-growth-factor`. */
export const DEFAULT_GROWTH_FACTOR = 2

/** Whether Node was given its own `--semi-space-growth-factor` (on the command line or in NODE_OPTIONS). */
export const growthFactorGiven = (): boolean =>
  [...process.execArgv, process.env["NODE_OPTIONS"] ?? ""].some((arg) => /semi[-_]space[-_]growth[-_]factor/.test(arg))

/** Gives V8 back its default growth of the young generation (none if Node was given its own factor). */
export const restoreGrowth = Effect.sync(() => {
  if (!growthFactorGiven()) v8.setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`)
})
