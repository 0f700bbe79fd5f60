import { describe, expect, it } from "vitest"
import { recordFromMap } from "../../src/lang/ownRecord.js"

describe("recordFromMap", () => {
  for (const size of [3, 1000]) {
    it(`${size} keys: an ordinary object with every key own, in order, __proto__ a field`, () => {
      const map = new Map<string, number>([["__proto__", -1]])
      for (let i = 0; i < size; i++) map.set(`k${i}`, i)
      const record = recordFromMap(map)
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype)
      expect(Object.keys(record)).toEqual([...map.keys()])
      expect(Object.prototype.hasOwnProperty.call(record, "__proto__")).toBe(true)
      expect(record["__proto__"]).toBe(-1)
      expect(record[`k${size - 1}`]).toBe(size - 1)
      expect(JSON.parse(JSON.stringify(record))).toEqual(Object.fromEntries(map))
    })
  }
})
