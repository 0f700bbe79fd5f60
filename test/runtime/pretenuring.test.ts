/**
 * Making an engine turns V8's allocation-site pretenuring off for the
 * process (src/runtime/internal/pretenuring.ts), unless
 * CONSTELLATION_V8_PRETENURING=true. In a child process, so the flag of
 * this one is left alone: the child records what is set through
 * `node:v8` while the engine is made, then runs executions.
 */
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const child = fileURLToPath(new URL("./fixtures/pretenuringChild.ts", import.meta.url))

const run = (pretenuring: string | undefined): Promise<{ readonly flags: ReadonlyArray<string>; readonly completed: number }> =>
  new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env }
    delete env["CONSTELLATION_V8_PRETENURING"]
    if (pretenuring !== undefined) env["CONSTELLATION_V8_PRETENURING"] = pretenuring
    execFile(process.execPath, ["--import", "tsx", child], { env, timeout: 60_000 }, (error, stdout) => {
      if (error !== null) return reject(error)
      const flags = /^FLAGS (.*)$/m.exec(stdout)?.[1]
      const done = /^DONE (\d+)$/m.exec(stdout)?.[1]
      if (flags === undefined || done === undefined) return reject(new Error(`unexpected output: ${stdout}`))
      resolve({ flags: JSON.parse(flags) as ReadonlyArray<string>, completed: Number(done) })
    })
  })

describe("V8 allocation-site pretenuring", () => {
  it("is turned off when an engine is made", { timeout: 90_000 }, async () => {
    const { completed, flags } = await run(undefined)
    expect(flags).toEqual(["--no-allocation-site-pretenuring"])
    expect(completed).toBe(100)
  })

  it("is left to V8 with CONSTELLATION_V8_PRETENURING=true", { timeout: 90_000 }, async () => {
    const { completed, flags } = await run("true")
    expect(flags).toEqual([])
    expect(completed).toBe(100)
  })

  it("refuses a value that is not a boolean, naming the variable", { timeout: 90_000 }, async () => {
    await expect(run("sometimes")).rejects.toThrow(/CONSTELLATION_V8_PRETENURING/)
  })
})
