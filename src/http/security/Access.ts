/**
 * Who may call the service: the API keys a request must carry (`API_KEYS`)
 * and the browser origins that may read its answers (`CORS_ORIGINS`). Both
 * are empty by default: no key is asked for, and no other origin may read.
 * Keys are kept only as SHA-256 digests and compared in constant time.
 */
import { Config, Context, Effect, Layer, Redacted } from "effect"
import type { ConfigError } from "effect"
import { createHash, createHmac, timingSafeEqual } from "node:crypto"

export interface AccessShape {
  /** True when API keys are configured: every request but the health checks must carry one. */
  readonly authRequired: boolean
  /** Whether `token` is one of the API keys; the time taken does not depend on which key, or how much of it, matched. */
  readonly isKey: (token: string) => boolean
  /** Whether a page served from `origin` may call the service from a browser. */
  readonly allowsOrigin: (origin: string) => boolean
  /**
   * The token that lets an `EventSource` read `executionId`'s events
   * (undefined when API keys are off): derived from the execution id and
   * the keys, so every instance configured with the same keys recognises
   * the tokens of the others' executions, and nobody without a key can make one.
   */
  readonly eventToken: (executionId: string) => string | undefined
}

export class Access extends Context.Tag("@constellation/http/Access")<Access, AccessShape>() {}

/** A key: at least 16 characters that are valid both in a bearer token and in a WebSocket subprotocol. */
const KEY = /^[A-Za-z0-9._~+-]{16,512}$/
/** An origin as browsers send it: scheme, host and optional port, nothing after. */
const ORIGIN = /^https?:\/\/[^/?#\s]+$/

const list = (text: string): ReadonlyArray<string> =>
  text.split(",").map((s) => s.trim()).filter((s) => s.length > 0)

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest()

export interface AccessSettings {
  readonly apiKeys: ReadonlyArray<Redacted.Redacted<string>>
  /** Allowed origins (`https://app.example.com`), or `*` for any. */
  readonly corsOrigins: ReadonlyArray<string>
}

/** The settings from `API_KEYS` and `CORS_ORIGINS` (comma-separated; empty turns each off). */
export const config: Config.Config<AccessSettings> = Config.all({
  apiKeys: Config.redacted("API_KEYS").pipe(
    Config.withDefault(Redacted.make("")),
    Config.map((keys) => list(Redacted.value(keys)).map((k) => Redacted.make(k))),
    Config.validate({
      message: "API_KEYS must be comma-separated keys of at least 16 characters, each made of A-Z a-z 0-9 - . _ ~ +",
      validation: (keys) => keys.every((k) => KEY.test(Redacted.value(k)))
    }),
    Config.withDescription("API keys accepted as bearer tokens (comma-separated); empty: no authentication.")
  ),
  corsOrigins: Config.string("CORS_ORIGINS").pipe(
    Config.withDefault(""),
    Config.map(list),
    Config.validate({
      message: "CORS_ORIGINS must be comma-separated origins like https://app.example.com, or *",
      validation: (origins) => origins.every((o) => o === "*" || ORIGIN.test(o))
    }),
    Config.withDescription("Browser origins allowed to call the service (comma-separated, or *); empty: none.")
  )
})

/** Access control over the given settings. */
export const make = (settings: AccessSettings): AccessShape => {
  const keys = settings.apiKeys.map((k) => digest(Redacted.value(k)))
  // Independent of the keys' order, distinct from any use of the keys themselves.
  const tokenSecret = keys.length === 0
    ? undefined
    : createHash("sha256").update("constellation event token\u0000").update(Buffer.concat([...keys].sort(Buffer.compare))).digest()
  const anyOrigin = settings.corsOrigins.includes("*")
  const origins = new Set(settings.corsOrigins.map((o) => o.toLowerCase()))
  return {
    authRequired: keys.length > 0,
    isKey: (token) => {
      const presented = digest(token)
      let match = false
      // Every key is compared, equal-length digests, so the time does not say which one matched.
      for (const key of keys) match = timingSafeEqual(presented, key) || match
      return match
    },
    allowsOrigin: (origin) => anyOrigin || origins.has(origin.toLowerCase()),
    eventToken: (executionId) =>
      tokenSecret === undefined ? undefined : createHmac("sha256", tokenSecret).update(executionId, "utf8").digest("base64url")
  }
}

/** Access control from the environment, read when the server starts. */
export const layer: Layer.Layer<Access, ConfigError.ConfigError> = Layer.effect(Access, Effect.map(config, make))

/** Fixed settings (no keys, no origins unless given), for tests and embedding. */
export const layerWith = (settings: Partial<AccessSettings> = {}): Layer.Layer<Access> =>
  Layer.succeed(Access, make({ apiKeys: [], corsOrigins: [], ...settings }))
