/**
 * `constellation run ... | head -n 1`: the reader of stdout goes away
 * after the first line. The real binary, its stdout closed by the test
 * once the first output arrived: it ends quietly (exit 0, no stack trace
 * for EPIPE), as the tools of a shell pipeline do.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))

describe("a closed stdout", () => {
  it("ends `run` quietly once its reader has gone", { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ["bin/constellation.mjs", "run", "examples/fan-out.cst", "--input", "query=a b c"], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" }
    })
    let stderr = ""
    child.stderr.setEncoding("utf8")
    child.stderr.on("data", (c: string) => void (stderr += c))
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no output within 30 s")), 30_000)
      child.stdout.setEncoding("utf8")
      child.stdout.once("data", (c: string) => {
        clearTimeout(timer)
        // The reader leaves, as `head -n 1` does after its line.
        child.stdout.destroy()
        resolve(c)
      })
    })
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
    expect(first).toMatch(/quick = "A B C"/)
    expect(code).toBe(0)
    expect(stderr).not.toMatch(/EPIPE|node:events|at /)
  })
})
