import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { program } from "../../examples/embed.js"

describe("examples/embed.ts", () => {
  it.live("streams the outputs in completion order and runs the batch", () =>
    Effect.gen(function*() {
      const { arrived, batch } = yield* program
      expect(arrived).toEqual(["greeting", "shout", "slow"])
      expect(batch).toMatchObject({ status: "completed", outputs: { greeting: "Hello, Grace!", shout: "HELLO, GRACE!", slow: 5 } })
    }))
})
