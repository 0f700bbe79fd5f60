import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { syncThunkOf } from "../../src/internal/effectSync.js"

describe("syncThunkOf", () => {
  it("gives the function of an Effect.sync", () => {
    const f = () => 42
    expect(syncThunkOf(Effect.sync(f))).toBe(f)
  })

  it("gives nothing for any other effect, or for what is not an effect", () => {
    const f = () => 42
    for (const other of [
      Effect.succeed(1),
      Effect.fail("e"),
      Effect.map(Effect.sync(f), (n) => n + 1),
      Effect.suspend(() => Effect.sync(f)),
      Effect.promise(() => Promise.resolve(1)),
      Effect.gen(function*() {
        return yield* Effect.sync(f)
      }),
      { _op: "Sync", effect_instruction_i0: "not a function" },
      null,
      f
    ]) expect(syncThunkOf(other)).toBeUndefined()
  })
})
