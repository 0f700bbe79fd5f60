import { describe, expect, it } from "vitest"
import { lanesOf, tickStep } from "../../src/web/app/Timeline.js"

describe("Timeline", () => {
  it("cuts the axis at round steps", () => {
    expect([4, 50, 523, 731, 1200, 9000].map((span) => tickStep(span))).toEqual([1, 10, 200, 200, 500, 2000])
  })

  it("puts output labels that would overlap on separate lanes", () => {
    const w = 40
    expect(lanesOf([{ at: 100, width: w }, { at: 101, width: w }, { at: 102, width: w }, { at: 400, width: w }])).toEqual([0, 1, 2, 0])
  })
})
