/**
 * Runs the real `constellation` binary (bin/constellation.mjs) as a child
 * process and records its output line by line as it streams, with the time
 * each line arrived.
 */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { fileURLToPath } from "node:url"

export const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const BIN = fileURLToPath(new URL("../../bin/constellation.mjs", import.meta.url))

export interface Line {
  readonly text: string
  /** Milliseconds since the process was spawned. */
  readonly at: number
}

export interface CliRun {
  readonly child: ChildProcess
  readonly stdout: Array<Line>
  readonly stderr: Array<Line>
  /** Resolves with the exit code once the process has exited and its output is read. */
  readonly exited: Promise<number | null>
  /** Resolves with the first stdout or stderr line that matches. */
  readonly waitFor: (pattern: RegExp, ms?: number) => Promise<Line>
}

export interface CliResult {
  readonly code: number | null
  readonly stdout: ReadonlyArray<Line>
  readonly stderr: ReadonlyArray<Line>
  /** stdout and stderr texts, each joined by newlines. */
  readonly out: string
  readonly err: string
}

/** Environment variables over the test's own (`NO_COLOR=1` unless given); undefined removes one. */
export type EnvChanges = Readonly<Record<string, string | undefined>>

const environment = (changes: EnvChanges): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" }
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  return env
}

/** Starts `constellation ...args` in the repository's root, its stdout and stderr piped. */
export const startCli = (args: ReadonlyArray<string>, env: EnvChanges = {}): CliRun => {
  const started = performance.now()
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: environment(env) })
  const stdout: Array<Line> = []
  const stderr: Array<Line> = []
  const waiters: Array<{ readonly pattern: RegExp; readonly resolve: (line: Line) => void }> = []
  const collect = (stream: NodeJS.ReadableStream | null, into: Array<Line>) => {
    let pending = ""
    const done = new Promise<void>((resolve) => stream?.on("end", () => resolve()) ?? resolve())
    stream?.setEncoding("utf8")
    stream?.on("data", (chunk: string) => {
      const at = performance.now() - started
      const parts = (pending + chunk).split("\n")
      pending = parts.pop() ?? ""
      for (const text of parts) {
        const line = { text, at }
        into.push(line)
        for (const w of waiters.filter((w) => w.pattern.test(text))) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(line)
        }
      }
    })
    return done.then(() => {
      if (pending !== "") into.push({ text: pending, at: performance.now() - started })
    })
  }
  const read = Promise.all([collect(child.stdout, stdout), collect(child.stderr, stderr)])
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code))).then(async (code) => {
    await read
    return code
  })
  const waitFor = (pattern: RegExp, ms = 15_000) =>
    new Promise<Line>((resolve, reject) => {
      const seen = [...stdout, ...stderr].find((l) => pattern.test(l.text))
      if (seen !== undefined) return resolve(seen)
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${ms} ms`)), ms)
      waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) })
    })
  return { child, stdout, stderr, exited, waitFor }
}

/** Runs `constellation ...args` to its end. */
export const runCli = async (args: ReadonlyArray<string>, env: EnvChanges = {}): Promise<CliResult> => {
  const run = startCli(args, env)
  const code = await run.exited
  const join = (lines: ReadonlyArray<Line>) => lines.map((l) => l.text).join("\n")
  return { code, stdout: run.stdout, stderr: run.stderr, out: join(run.stdout), err: join(run.stderr) }
}
