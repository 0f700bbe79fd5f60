/**
 * Instances that stopped sending their heartbeat, and the end of their
 * executions. Every instance renews its heartbeat key (expiring after
 * `instanceTtlMs`) every `heartbeatMs` and, in the same tick, looks for
 * instances whose key has expired. One of the survivors (a lock decides)
 * ends each execution the lost one was running: a final `error` event
 * `instance_lost` appended to its stream, naming the outputs that never
 * came; the ones it delivered stand. So a reader anywhere learns of the
 * loss at most `instanceTtlMs + heartbeatMs` after the last heartbeat.
 */
import type { Redis } from "ioredis"
import { instanceLostError } from "../../protocol/executions.js"
import type { ExecutionFailedEvent } from "../../runtime/ExecutionEvent.js"
import { decodeEvent, encodeEvent, entryText } from "./eventCodec.js"
import type { Keys } from "./keys.js"
import { seqOf } from "./keys.js"
import * as Scripts from "./scripts.js"

export interface ReaperContext {
  readonly command: Redis
  readonly keys: Keys
  readonly instanceId: string
  readonly instanceTtlMs: number
  /** How long a finished execution's keys are kept. */
  readonly finishedTtlMs: number
  readonly now: () => number
}

const parseOutputs = (text: string | undefined): ReadonlyArray<string> | undefined => {
  if (text === undefined) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) && parsed.every((n) => typeof n === "string") ? parsed : undefined
  } catch {
    return undefined
  }
}

/** Ends `executionId`, run by the lost `owner`, unless it has ended. */
export const endLost = async (context: ReaperContext, owner: string, executionId: string): Promise<void> => {
  const { command, keys } = context
  for (let attempt = 0; attempt < 10; attempt++) {
    const [meta, entries] = await Promise.all([
      command.hmget(keys.meta(executionId), "outputs", "finishedAt"),
      command.xrange(keys.stream(executionId), "-", "+")
    ])
    const outputs = parseOutputs(meta[0] ?? undefined)
    if (outputs === undefined || meta[1] !== null) return
    const published = new Set<string>()
    let last = -1
    for (const [id, fields] of entries) {
      last = seqOf(id)
      const text = entryText(fields)
      const e = text === undefined ? undefined : decodeEvent(text, last)
      if (e !== undefined && (e._tag === "Output" || e._tag === "OutputFailed")) published.add(e.name)
    }
    const now = context.now()
    const final: ExecutionFailedEvent = {
      _tag: "ExecutionFailed",
      executionId,
      seq: last + 1,
      timestamp: now,
      error: instanceLostError(owner),
      missing: outputs.filter((n) => !published.has(n)),
      isFinal: true
    }
    const answer = await Scripts.run(command, Scripts.endLost, [keys.stream(executionId), keys.meta(executionId)], [
      context.finishedTtlMs, now, encodeEvent(final), last
    ])
    // -2: the owner wrote meanwhile (it was alive after all, or its last writes were in flight): read again.
    if (answer !== -2) return
  }
}

/** Ends every execution of the lost instance `lost`, if this instance gets to do it. */
export const reap = async (context: ReaperContext, lost: string): Promise<void> => {
  const { command, keys } = context
  const locked = await command.set(keys.reaper(lost), context.instanceId, "PX", context.instanceTtlMs, "NX")
  if (locked === null) return
  const ids = await command.smembers(keys.owned(lost))
  for (const id of ids) {
    await endLost(context, lost, id)
    await command.srem(keys.owned(lost), id)
  }
  // Still silent (an instance that comes back registers itself again).
  if ((await command.exists(keys.heartbeat(lost))) === 0) {
    await command.srem(keys.instances, lost)
    await command.del(keys.owned(lost))
  }
}

/** Renews this instance's heartbeat, then reaps the instances whose heartbeat has expired. */
export const beat = async (context: ReaperContext): Promise<void> => {
  const { command, keys, instanceId } = context
  await Promise.all([
    command.set(keys.heartbeat(instanceId), String(context.now()), "PX", context.instanceTtlMs),
    command.sadd(keys.instances, instanceId)
  ])
  const others = (await command.smembers(keys.instances)).filter((id) => id !== instanceId)
  if (others.length === 0) return
  const alive = await Promise.all(others.map((id) => command.exists(keys.heartbeat(id))))
  for (let i = 0; i < others.length; i++) if (alive[i] === 0) await reap(context, others[i]!)
}

/**
 * At start: executions still listed as this instance's (an instance of the
 * same name that stopped before the others noticed) are ended as lost.
 */
export const reapPreviousLife = async (context: ReaperContext): Promise<void> => {
  const { command, keys, instanceId } = context
  const ids = await command.smembers(keys.owned(instanceId))
  for (const id of ids) {
    await endLost(context, instanceId, id)
    await command.srem(keys.owned(instanceId), id)
  }
}
