/**
 * A named export of a CommonJS package loaded with `import()`. Node (and a
 * single-file bundle) give a CommonJS module's exports as named exports;
 * npm start's bundle, split into chunks (scripts/launch.mjs), gives them
 * only as `default`. Both shapes are read here, so a package loaded on
 * demand (ioredis, OpenTelemetry's exporters) works from either.
 */
export const exportOf = <M, K extends keyof M & string>(mod: M, name: K): M[K] => {
  const named = (mod as Record<string, unknown>)[name]
  if (named !== undefined) return named as M[K]
  const fallback = (mod as { readonly default?: Record<string, unknown> }).default?.[name]
  if (fallback === undefined) throw new Error(`the module loaded for ${name} does not export it`)
  return fallback as M[K]
}
