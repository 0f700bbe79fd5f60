/**
 * Tracing to an OpenTelemetry collector: when `OTEL_EXPORTER_OTLP_ENDPOINT`
 * is set, Effect's spans (a request, its execution, the module attempts)
 * go to `<endpoint>/v1/traces` over OTLP/HTTP, in batches, as service
 * `OTEL_SERVICE_NAME`. Unset, no tracer is installed and no span is made.
 */
import { Config, Context, Effect, Layer, Option } from "effect"
import type { ConfigError } from "effect"
import { exportOf } from "../commonJsExport.js"

export interface TracingConfigShape {
  /** The collector's base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`, unset: tracing off). */
  readonly endpoint: Option.Option<string>
  /** The `service.name` of the spans (`OTEL_SERVICE_NAME`, `constellation`). */
  readonly serviceName: string
}

/** Where spans go, if anywhere. */
export class TracingConfig extends Context.Tag("@constellation/http/TracingConfig")<TracingConfig, TracingConfigShape>() {}

/** The defaults: tracing off. */
export const defaults: TracingConfigShape = { endpoint: Option.none(), serviceName: "constellation" }

/** The tracing settings read from the environment, each with its default. */
export const config: Config.Config<TracingConfigShape> = Config.all({
  endpoint: Config.option(
    Config.url("OTEL_EXPORTER_OTLP_ENDPOINT").pipe(
      Config.map((url) => url.href),
      Config.withDescription("Base URL of an OTLP/HTTP collector (spans go to <url>/v1/traces); unset: no tracing.")
    )
  ),
  serviceName: Config.nonEmptyString("OTEL_SERVICE_NAME").pipe(
    Config.withDefault(defaults.serviceName),
    Config.withDescription("The service.name of the exported spans.")
  )
})

/** The tracing settings from the environment. */
export const layerConfig: Layer.Layer<TracingConfig, ConfigError.ConfigError> = Layer.effect(TracingConfig, config)

/** Fixed settings (the defaults overridden by `overrides`), for tests and embedding. */
export const layerConfigWith = (overrides: Partial<TracingConfigShape> = {}): Layer.Layer<TracingConfig> =>
  Layer.succeed(TracingConfig, { ...defaults, ...overrides })

/** The URL the spans are posted to: the signal's path under the base endpoint, as OpenTelemetry specifies. */
export const tracesUrl = (endpoint: string): string => `${endpoint.replace(/\/+$/, "")}/v1/traces`

/**
 * Effect's tracer exporting over OTLP/HTTP (JSON) to `endpoint`; spans still
 * batched are sent when the layer closes. The OpenTelemetry SDK is loaded
 * here, when tracing is on: a server without it does not hold the SDK in
 * memory (about 10 MB of heap).
 */
export const layerOtlp = (endpoint: string, serviceName: string): Layer.Layer<never> =>
  Layer.unwrapEffect(Effect.map(
    Effect.promise(() =>
      Promise.all([
        import("@effect/opentelemetry/NodeSdk"),
        import("@opentelemetry/exporter-trace-otlp-http"),
        import("@opentelemetry/sdk-trace-base")
      ])
    ),
    ([NodeSdk, exporter, sdk]) => {
      const OTLPTraceExporter = exportOf(exporter, "OTLPTraceExporter")
      const BatchSpanProcessor = exportOf(sdk, "BatchSpanProcessor")
      return Layer.discard(exportOf(NodeSdk, "layer")(() => ({
        resource: { serviceName },
        spanProcessor: new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(endpoint) }))
      })))
    }
  ))

/** The tracer the settings ask for: OTLP when an endpoint is set, else none (Effect's spans then go nowhere). */
export const layer: Layer.Layer<never, never, TracingConfig> = Layer.unwrapEffect(Effect.map(TracingConfig, (tracing) =>
  Option.match(tracing.endpoint, {
    onNone: () => Layer.empty,
    onSome: (endpoint) => layerOtlp(endpoint, tracing.serviceName)
  })))

/** Whether the settings turn tracing on. */
export const enabled = (tracing: TracingConfigShape): boolean => Option.isSome(tracing.endpoint)
