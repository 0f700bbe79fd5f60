import { describe, expect, it } from "vitest"
import { groupDigits } from "../../src/lang/groupDigits.js"

describe("groupDigits", () => {
  it("writes integers as toLocaleString('en-US') does", () => {
    for (const n of [0, 7, 999, 1_000, 10_000, 999_999, 1_000_000, 12_345_678, -1_000, -999, 2 ** 53 - 1]) {
      expect(groupDigits(n)).toBe(n.toLocaleString("en-US"))
    }
  })
})
