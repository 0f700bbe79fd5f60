import { describe, expect, it } from "vitest"
import { retryDelay } from "../../../src/runtime/internal/moduleRun.js"

describe("retryDelay", () => {
  const delays = (options: Parameters<typeof retryDelay>[0]) => [1, 2, 3, 4, 5].map((n) => retryDelay(options, n))

  it("fixed waits the same delay each time", () => {
    expect(delays({ delayMs: 100, backoff: "fixed" })).toEqual([100, 100, 100, 100, 100])
    expect(delays({ delayMs: 100 })).toEqual([100, 100, 100, 100, 100])
  })
  it("linear grows by the delay", () => {
    expect(delays({ delayMs: 100, backoff: "linear" })).toEqual([100, 200, 300, 400, 500])
  })
  it("exponential doubles", () => {
    expect(delays({ delayMs: 100, backoff: "exponential" })).toEqual([100, 200, 400, 800, 1600])
  })
  it("capped doubles up to maxDelay, and maxDelay caps any backoff", () => {
    expect(delays({ delayMs: 100, backoff: "capped", maxDelayMs: 300 })).toEqual([100, 200, 300, 300, 300])
    expect(delays({ delayMs: 10_000, backoff: "capped" })).toEqual([10_000, 20_000, 30_000, 30_000, 30_000])
    expect(delays({ delayMs: 100, backoff: "linear", maxDelayMs: 250 })).toEqual([100, 200, 250, 250, 250])
  })
  it("no delay means immediate retries", () => {
    expect(delays({ backoff: "exponential" })).toEqual([0, 0, 0, 0, 0])
  })
})
