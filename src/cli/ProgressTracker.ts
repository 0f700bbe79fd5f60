/**
 * The state behind the live progress line of `constellation run`: how many
 * modules finished of all of them, and which are running now.
 */
import type { StreamEvent } from "../client/StreamEvent.js"

export interface ProgressTracker {
  /** Takes an event into account; true when the progress line changed. */
  readonly add: (e: StreamEvent) => boolean
  /** `2/5 modules done · running: Delay ×2, WordCount`; empty before any progress event. */
  readonly line: () => string
}

export const makeProgressTracker = (): ProgressTracker => {
  const running = new Map<number, string>()
  let completed = 0
  let total: number | undefined
  return {
    add: (e) => {
      switch (e.event) {
        case "module-started":
          running.set(e.data.node, e.data.module)
          return true
        case "module-completed":
        case "module-failed":
        case "module-skipped":
          return running.delete(e.data.node)
        case "progress":
          completed = e.data.completed
          total = e.data.total
          return true
        default:
          return false
      }
    },
    line: () => {
      if (total === undefined && running.size === 0) return ""
      const counts = new Map<string, number>()
      for (const name of running.values()) counts.set(name, (counts.get(name) ?? 0) + 1)
      const names = [...counts].map(([name, n]) => (n === 1 ? name : `${name} ×${n}`)).join(", ")
      const done = total === undefined ? "" : `${completed}/${total} modules done`
      const now = names === "" ? "" : `running: ${names}`
      return [done, now].filter((s) => s !== "").join(" · ")
    }
  }
}
