/**
 * How the clients resume an event stream after a dropped connection: how
 * many tries in a row, and the backoff between them (exponential, capped,
 * with full jitter so that many clients cut at once do not come back at
 * once).
 *
 * @since 0.3.0
 */
import { ConnectFailed, RequestRejected, StreamInterrupted } from "./ClientError.js"

/**
 * Resuming after a drop. Every field is optional; `false` instead of an
 * object turns resuming off.
 *
 * @since 0.3.0
 * @category models
 */
export interface ResumeOptions {
  /** Tries in a row without receiving anything before giving up (5). A try that receives something resets the count. */
  readonly retries?: number
  /** The backoff before the first try, in milliseconds (100); it doubles with each failed try. */
  readonly initialDelayMs?: number
  /** The longest backoff, in milliseconds (5,000). */
  readonly maxDelayMs?: number
}

/** Resuming with every field decided. */
export interface ResumePolicy {
  readonly retries: number
  readonly initialDelayMs: number
  readonly maxDelayMs: number
}

/**
 * The defaults: 5 tries, from 100 ms doubling to at most 5 s (about 3 s in
 * all before giving up, on average).
 *
 * @since 0.3.0
 * @category constructors
 */
export const defaultResume: ResumePolicy = { retries: 5, initialDelayMs: 100, maxDelayMs: 5_000 }

/** The policy of `options` (the client's, overridden by the request's); undefined when resuming is off. */
export const resumePolicy = (
  client: ResumeOptions | false | undefined,
  request?: ResumeOptions | false
): ResumePolicy | undefined => {
  if (request === false || (request === undefined && client === false)) return undefined
  const merged = { ...defaultResume, ...(client === false ? {} : client), ...request }
  return {
    retries: Math.max(0, Math.floor(merged.retries)),
    initialDelayMs: Math.max(0, merged.initialDelayMs),
    maxDelayMs: Math.max(0, merged.maxDelayMs)
  }
}

/** The wait before try number `attempt` (0 for the first): a random time up to the capped exponential backoff. */
export const backoffMs = (policy: ResumePolicy, attempt: number, random: () => number = Math.random): number =>
  Math.round(random() * Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt, 30)))

/** Whether a failure to read or reconnect is worth another try: a cut, an unreachable server, a 5xx, 408 or 429. */
export const isTransient = (error: unknown): boolean =>
  error instanceof StreamInterrupted || error instanceof ConnectFailed ||
  (error instanceof RequestRejected && (error.status >= 500 || error.status === 408 || error.status === 429))
