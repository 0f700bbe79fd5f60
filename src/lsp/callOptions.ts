/**
 * The `with` options of a module call as the editor documents them (the
 * table of docs/language.md): the value each takes, an example to insert,
 * the words it accepts. The names are the checker's own list.
 */
import { supportedOptions } from "../lang/checker/options.js"

export interface OptionDoc {
  readonly name: (typeof supportedOptions)[number]
  readonly value: string
  readonly meaning: string
  /** What completion inserts after the name. */
  readonly insert: string
  /** The words its value may be, for completion after `name:`. */
  readonly words: ReadonlyArray<string>
}

const docs: ReadonlyArray<OptionDoc> = [
  { name: "timeout", value: "a duration", meaning: "each attempt fails with `timeout` if it takes longer", insert: "timeout: 2s", words: [] },
  { name: "retry", value: "a whole number, 0 or more", meaning: "extra attempts after a failure (`retry: 2` is up to 3 attempts)", insert: "retry: 2", words: [] },
  { name: "delay", value: "a duration", meaning: "the wait before a retry (default: none)", insert: "delay: 100ms", words: [] },
  { name: "maxDelay", value: "a duration", meaning: "the longest wait between attempts", insert: "maxDelay: 5s", words: [] },
  { name: "backoff", value: "`fixed`, `linear`, `exponential` or `capped`", meaning: "how the wait grows (default `fixed`)", insert: "backoff: exponential", words: ["fixed", "linear", "exponential", "capped"] },
  { name: "fallback", value: "an expression of the call's result type", meaning: "the value used when every attempt failed", insert: "fallback: ", words: [] },
  { name: "cache", value: "a duration", meaning: "results kept that long, by module and argument values, for every execution of the engine", insert: "cache: 10min", words: [] },
  { name: "cache_backend", value: "`\"memory\"`", meaning: "where cached results are kept; only the in-memory cache exists", insert: "cache_backend: \"memory\"", words: [] },
  { name: "throttle", value: "a count per duration, `100/1min`", meaning: "at most that many calls of the module per duration, across executions; callers wait", insert: "throttle: 10/1s", words: [] },
  { name: "concurrency", value: "a whole number, 1 or more", meaning: "at most that many calls of the module at once, across executions; callers wait", insert: "concurrency: 1", words: [] },
  { name: "on_error", value: "`propagate`, `skip`, `log` or `wrap`", meaning: "what a failure becomes (default `propagate`)", insert: "on_error: skip", words: ["propagate", "skip", "log", "wrap"] },
  { name: "lazy", value: "alone, or `true` / `false`", meaning: "start the call only when the value reading it has all its other inputs", insert: "lazy", words: ["true", "false"] },
  { name: "priority", value: "`critical`, `high`, `normal`, `low`, `background` or 0 to 100", meaning: "the order in which waiting calls get the engine's permits", insert: "priority: high", words: ["critical", "high", "normal", "low", "background"] }
]

/** Every option, in the checker's order. */
export const optionDocs: ReadonlyMap<string, OptionDoc> = new Map(
  supportedOptions.map((name) => [name, docs.find((d) => d.name === name) ?? { name, value: "", meaning: "", insert: name, words: [] }])
)

/** Markdown for an option's hover and completion. */
export const optionMarkdown = (d: OptionDoc): string => `**\`${d.name}\`**: ${d.value}\n\n${d.meaning}`
