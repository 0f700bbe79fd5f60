/**
 * The Redis keys of a cluster, all under one prefix. The execution's
 * stream is its event log (entry id `<seq>-1`: the millisecond part is the
 * event's position); its hash holds what is known of it besides the
 * events (owner, outputs, mode, timings).
 */
export interface Keys {
  /** The event log of an execution: a stream, entry id `<seq>-1`, field `e` the event as JSON. */
  readonly stream: (executionId: string) => string
  /** What is known of an execution besides its events: a hash. */
  readonly meta: (executionId: string) => string
  /** Every execution kept, scored by its cluster ordinal (paging of `GET /executions`). */
  readonly index: string
  /** The executions running now for the cluster-wide limit, scored by when their claim expires. */
  readonly running: string
  /** Every instance seen: a set. */
  readonly instances: string
  /** An instance's heartbeat: a string that expires. */
  readonly heartbeat: (instanceId: string) => string
  /** The executions an instance runs now: a set. */
  readonly owned: (instanceId: string) => string
  /** Held by the instance that ends a lost instance's executions. */
  readonly reaper: (instanceId: string) => string
  /** An instance's control channel (pub/sub). */
  readonly control: (instanceId: string) => string
  /** A compiled pipeline's source, by ref. */
  readonly pipeline: (ref: string) => string
}

export const keysOf = (prefix: string): Keys => ({
  stream: (id) => `${prefix}x:${id}`,
  meta: (id) => `${prefix}m:${id}`,
  index: `${prefix}index`,
  running: `${prefix}running`,
  instances: `${prefix}instances`,
  heartbeat: (id) => `${prefix}i:${id}`,
  owned: (id) => `${prefix}i:${id}:x`,
  reaper: (id) => `${prefix}i:${id}:reaper`,
  control: (id) => `${prefix}c:${id}`,
  pipeline: (ref) => `${prefix}p:${ref}`
})

/** The stream entry id of the event at `seq`. */
export const entryId = (seq: number): string => `${seq}-1`

/** The `seq` of a stream entry id. */
export const seqOf = (id: string): number => Number(id.slice(0, id.indexOf("-")))
