/**
 * A child process's exit code and its whole output, once it has closed.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process"

export interface ProcessOutput {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Collects `child`'s stdout and stderr as text; resolves when it closes. */
export const outputOf = (child: ChildProcessWithoutNullStreams): Promise<ProcessOutput> =>
  new Promise((resolve, reject) => {
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })
