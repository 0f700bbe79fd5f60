/**
 * The execution the page shows, kept in its URL (`?execution=<id>`), so a
 * reload re-attaches to it and a second tab on the same URL follows the
 * same run; and what that execution ran (its source and inputs), kept in
 * the browser's `localStorage`, so the page can draw its pipeline again.
 * A browser that does not know the source still follows the outputs.
 */
import { Either, Schema } from "effect"
import { ValueSchema } from "../../lang/dag.js"
import type { RunRequest } from "./Runner.js"

const PARAM = "execution"
const PREFIX = "constellation.execution."
/** How many runs the browser remembers (the oldest are forgotten). */
const KEPT = 20

const Remembered = Schema.parseJson(Schema.Struct({
  source: Schema.String,
  inputs: Schema.Record({ key: Schema.String, value: ValueSchema }),
  at: Schema.Number
}))
const decode = Schema.decodeUnknownEither(Remembered)
const encode = Schema.encodeSync(Remembered)

/** The execution named by the page's URL, if any. */
export const executionInUrl = (): string | undefined => new URL(window.location.href).searchParams.get(PARAM) || undefined

/** Names `executionId` in the page's URL (or removes the name), without a new history entry. */
export const showExecutionInUrl = (executionId: string | undefined): void => {
  const url = new URL(window.location.href)
  if (url.searchParams.get(PARAM) === (executionId ?? null)) return
  if (executionId === undefined) url.searchParams.delete(PARAM)
  else url.searchParams.set(PARAM, executionId)
  window.history.replaceState(window.history.state, "", url)
}

/** Storage that may be refused (private windows, quotas): every access guarded. */
const storage = (): Storage | undefined => {
  try {
    return window.localStorage
  } catch {
    return undefined
  }
}

/** Remembers what `executionId` ran, forgetting the oldest beyond the last few. */
export const rememberRun = (executionId: string, request: RunRequest): void => {
  const store = storage()
  if (store === undefined) return
  try {
    store.setItem(`${PREFIX}${executionId}`, encode({ source: request.source, inputs: request.inputs, at: Date.now() }))
    const kept = Object.keys(store).filter((k) => k.startsWith(PREFIX))
      .map((k) => ({ k, at: Either.match(decode(store.getItem(k)), { onLeft: () => 0, onRight: (r) => r.at }) }))
      .sort((a, b) => b.at - a.at)
    for (const { k } of kept.slice(KEPT)) store.removeItem(k)
  } catch {
    // A full or refused storage only costs the redraw of the pipeline after a reload.
  }
}

/** What `executionId` ran, if this browser started it. */
export const recallRun = (executionId: string): RunRequest | undefined => {
  const text = storage()?.getItem(`${PREFIX}${executionId}`)
  if (text === undefined || text === null) return undefined
  return Either.match(decode(text), { onLeft: () => undefined, onRight: ({ source, inputs }) => ({ source, inputs }) })
}
