import { describe, expect, it } from "@effect/vitest"
import { make } from "../../src/runtime/Scheduler.js"

describe("Scheduler permits", () => {
  it("hands a released permit to the longest waiter only, still taken", () => {
    const s = make(1)
    expect(s.tryAcquire()).toBe(true)
    const woken: Array<number> = []
    for (let i = 0; i < 1_000; i++) s.whenAvailable(() => woken.push(i))
    s.release(false)
    expect(woken).toEqual([0])
    expect(s.stats().runningModules).toBe(1)
    // Nobody can take the handed-over permit meanwhile, nor jump the queue.
    expect(s.tryAcquire()).toBe(false)
    s.release(false)
    expect(woken).toEqual([0, 1])
  })

  it("a permit given back unused goes on to the next waiter, and to the pool when none waits", () => {
    const s = make(1)
    s.tryAcquire()
    const woken: Array<string> = []
    s.whenAvailable(() => woken.push("a"))
    s.whenAvailable(() => woken.push("b"))
    s.release(false)
    s.giveBack()
    expect(woken).toEqual(["a", "b"])
    s.giveBack()
    expect(s.stats().runningModules).toBe(0)
    expect(s.tryAcquire()).toBe(true)
  })

  it("a cancelled waiter is skipped", () => {
    const s = make(1)
    s.tryAcquire()
    const woken: Array<string> = []
    const cancel = s.whenAvailable(() => woken.push("a"))
    s.whenAvailable(() => woken.push("b"))
    cancel()
    s.release(true)
    expect(woken).toEqual(["b"])
    expect(s.stats().modulesInterrupted).toBe(1)
  })

  it("counts a module as started once, whether its permit was taken or handed over", () => {
    const s = make(1)
    s.tryAcquire()
    s.whenAvailable(() => {})
    s.release(false)
    s.release(false)
    expect(s.stats()).toMatchObject({ modulesStarted: 2, runningModules: 0 })
  })
})

describe("Scheduler execution counts", () => {
  it("an execution started is active until its end is first reported; a second report changes nothing", () => {
    const s = make(4)
    const endA = s.executionStarted()
    const endB = s.executionStarted()
    expect(s.stats()).toMatchObject({ activeExecutions: 2, executionsStarted: 2 })
    endA()
    endA()
    expect(s.stats()).toMatchObject({ activeExecutions: 1, executionsStarted: 2 })
    endB()
    expect(s.stats()).toMatchObject({ activeExecutions: 0, executionsStarted: 2 })
  })
})
