/**
 * The limits that protect the service from requests too large or too many:
 * body and source size, DAG size, the size of a computed value, concurrent
 * executions and the deadline.
 */
import { Config, Context, Layer } from "effect"
import type { ConfigError } from "effect"
import { integerAtLeast } from "./configValues.js"

export interface LimitsShape {
  /** Largest accepted request body, in bytes (`MAX_BODY_BYTES`, 1 MiB). */
  readonly maxBodyBytes: number
  /** Largest accepted pipeline source, in UTF-8 bytes (`MAX_SOURCE_BYTES`, 100 KiB). */
  readonly maxSourceBytes: number
  /** Most data and module nodes a compiled pipeline may have (`MAX_DAG_NODES`, 10,000). */
  readonly maxDagNodes: number
  /** Largest value an execution may compute, as JSON, in bytes; larger fails with `value_too_large` (`MAX_VALUE_BYTES`, 16 MiB). */
  readonly maxValueBytes: number
  /** Executions running at once, all transports together (`MAX_CONCURRENT_EXECUTIONS`, 256). */
  readonly maxConcurrentExecutions: number
  /** The longest an execution may run, in milliseconds; a request may only lower it (`EXECUTION_DEADLINE_MS`, 60 s). */
  readonly deadlineMs: number
  /** The `Retry-After` answered when over capacity or shutting down, in seconds (`RETRY_AFTER_SECONDS`, 1). */
  readonly retryAfterSeconds: number
  /** How long a finished execution stays readable (`GET /executions/{id}`, its events), in milliseconds (`EXECUTION_RETENTION_MS`, 5 min). */
  readonly retentionMs: number
  /** Most finished executions kept; the oldest goes first (`RETAINED_EXECUTIONS`, 10,000). */
  readonly retainedExecutions: number
  /** Most bytes of results (as JSON) the finished executions kept may hold; the oldest goes first (`RETAINED_BYTES`, 256 MiB). */
  readonly retainedBytes: number
}

export class Limits extends Context.Tag("@constellation/http/Limits")<Limits, LimitsShape>() {}

export const defaults: LimitsShape = {
  maxBodyBytes: 1024 * 1024,
  maxSourceBytes: 100 * 1024,
  maxDagNodes: 10_000,
  maxValueBytes: 16 * 1024 * 1024,
  maxConcurrentExecutions: 256,
  deadlineMs: 60_000,
  retryAfterSeconds: 1,
  retentionMs: 5 * 60_000,
  retainedExecutions: 10_000,
  retainedBytes: 256 * 1024 * 1024
}

/** The limits read from the environment, each with its default. */
export const config: Config.Config<LimitsShape> = Config.all({
  maxBodyBytes: integerAtLeast("MAX_BODY_BYTES", 1, defaults.maxBodyBytes, "Largest request body accepted, in bytes."),
  maxSourceBytes: integerAtLeast("MAX_SOURCE_BYTES", 1, defaults.maxSourceBytes, "Largest pipeline source accepted, in UTF-8 bytes."),
  maxDagNodes: integerAtLeast("MAX_DAG_NODES", 1, defaults.maxDagNodes, "Most nodes (data and module) a pipeline may compile to."),
  maxValueBytes: integerAtLeast("MAX_VALUE_BYTES", 1, defaults.maxValueBytes, "Largest value an execution may compute (as JSON), in bytes."),
  maxConcurrentExecutions: integerAtLeast(
    "MAX_CONCURRENT_EXECUTIONS",
    1,
    defaults.maxConcurrentExecutions,
    "Executions running at once; more are refused with 503 and Retry-After."
  ),
  deadlineMs: integerAtLeast("EXECUTION_DEADLINE_MS", 1, defaults.deadlineMs, "Longest an execution may run, in milliseconds."),
  retryAfterSeconds: integerAtLeast("RETRY_AFTER_SECONDS", 0, defaults.retryAfterSeconds, "Retry-After sent with 503 answers, in seconds."),
  retentionMs: integerAtLeast("EXECUTION_RETENTION_MS", 0, defaults.retentionMs, "How long a finished execution stays readable, in milliseconds."),
  retainedExecutions: integerAtLeast("RETAINED_EXECUTIONS", 0, defaults.retainedExecutions, "Most finished executions kept readable; the oldest goes first."),
  retainedBytes: integerAtLeast("RETAINED_BYTES", 0, defaults.retainedBytes, "Most bytes of results the finished executions kept may hold; the oldest goes first.")
})

/** The limits from the environment. */
export const layer: Layer.Layer<Limits, ConfigError.ConfigError> = Layer.effect(Limits, config)

/** Fixed limits (the defaults overridden by `overrides`), for tests and embedding. */
export const layerWith = (overrides: Partial<LimitsShape> = {}): Layer.Layer<Limits> =>
  Layer.succeed(Limits, { ...defaults, ...overrides })
