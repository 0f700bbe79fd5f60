/**
 * The Lua scripts that keep an execution's log consistent when more than
 * one instance may write it: the owner appending its events, and another
 * instance ending it for a lost owner. Each runs atomically in Redis, so
 * exactly one final event is ever written.
 */
import type { Redis } from "ioredis"
import { createHash } from "node:crypto"

export interface Script {
  readonly lua: string
  readonly sha: string
}

const script = (lua: string): Script => ({ lua, sha: createHash("sha1").update(lua).digest("hex") })

/**
 * KEYS: stream, meta, the owner's set of running executions, the index.
 * ARGV: ttl ms (0: unchanged), what else to do (`r`: register the
 * execution in the owner's set and the index at ARGV[4]; `e`: it has
 * ended, out of the owner's set; `re`: both), the execution id, its
 * ordinal, n meta field pairs, the 2n fields and values, then the events:
 * `seq:bytes,seq:bytes,...` and their JSON texts end to end (two arguments
 * whatever their number: the client writes a command's arguments one
 * buffer each, which for an argument per event cost more than the events).
 * Appends the events above the stream's last seq (so a
 * replay after a reconnect is harmless). Answers the last seq now in the
 * stream (-1: none), or -2 when another instance has ended the execution
 * (its owner was thought lost). One call per execution and tick: what an
 * execution costs Redis is its number of ticks with events, plus one.
 */
export const append = script(`
if redis.call('HEXISTS', KEYS[2], 'lost') == 1 then return -2 end
local op = ARGV[2]
if string.find(op, 'r', 1, true) then
  redis.call('SADD', KEYS[3], ARGV[3])
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[3])
end
local n = tonumber(ARGV[5])
local i = 6
if n > 0 then
  local fields = {}
  for j = 1, 2 * n do fields[j] = ARGV[i + j - 1] end
  redis.call('HSET', KEYS[2], unpack(fields))
  i = i + 2 * n
end
local last = -1
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if #top > 0 then last = tonumber(string.match(top[1][1], '^(%d+)')) end
local payload = ARGV[i + 1]
local pos = 1
for s, len in string.gmatch(ARGV[i], '(%d+):(%d+)') do
  s = tonumber(s)
  len = tonumber(len)
  if s > last then
    redis.call('XADD', KEYS[1], s .. '-1', 'e', string.sub(payload, pos, pos + len - 1))
    last = s
  end
  pos = pos + len
end
if string.find(op, 'e', 1, true) then redis.call('SREM', KEYS[3], ARGV[3]) end
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return last
`)

/**
 * KEYS: stream, meta. ARGV: ttl ms, finishedAt, the final event's JSON,
 * the last seq the caller read. Ends an execution whose owner is lost:
 * answers 1 when it wrote the final event, 0 when the execution has ended
 * (or is unknown), -2 when events came after the caller's read (read again).
 */
export const endLost = script(`
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if redis.call('HEXISTS', KEYS[2], 'finishedAt') == 1 then return 0 end
local last = -1
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if #top > 0 then last = tonumber(string.match(top[1][1], '^(%d+)')) end
if last ~= tonumber(ARGV[4]) then return -2 end
redis.call('XADD', KEYS[1], (last + 1) .. '-1', 'e', ARGV[3])
redis.call('HSET', KEYS[2], 'finishedAt', ARGV[2], 'status', 'failed', 'lost', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
`)

/**
 * KEYS: running. ARGV: now, limit, claim expiry, execution id. Takes a
 * cluster-wide slot: 1, or 0 when `limit` executions hold one.
 */
export const admit = script(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
return 1
`)

/** Runs `s` by its hash, loading it first when Redis does not know it. */
export const run = (client: Redis, s: Script, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>): Promise<unknown> =>
  client.evalsha(s.sha, keys.length, ...keys, ...args).catch((e: unknown) => {
    if (e instanceof Error && e.message.startsWith("NOSCRIPT")) return client.eval(s.lua, keys.length, ...keys, ...args)
    throw e
  })
