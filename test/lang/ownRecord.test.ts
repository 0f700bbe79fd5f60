import { describe, expect, it } from "vitest"
import { recordBuilder, recordFromMap } from "../../src/lang/ownRecord.js"

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

describe("recordBuilder", () => {
  for (const size of [3, 1000]) {
    it(`${size} keys: the same record as recordFromMap, has() answering for own keys only`, () => {
      const builder = recordBuilder<number>(size)
      const map = new Map<string, number>()
      const put = (k: string, v: number) => {
        builder.set(k, v)
        map.set(k, v)
      }
      put("__proto__", -1)
      for (let i = 0; i < size; i++) put(`k${i}`, i)
      put("k0", 42) // set again: the value changes, the order does not
      expect(builder.has("k0")).toBe(true)
      expect(builder.has("toString")).toBe(false)
      expect(builder.has("constructor")).toBe(false)
      expect(builder.has(`k${size}`)).toBe(false)
      const record = builder.build()
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype)
      expect(Object.keys(record)).toEqual([...map.keys()])
      expect(Object.prototype.hasOwnProperty.call(record, "__proto__")).toBe(true)
      expect(record["__proto__"]).toBe(-1)
      expect(record["k0"]).toBe(42)
      expect(record).toEqual(recordFromMap(map))
    })
  }
})
