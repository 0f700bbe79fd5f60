/**
 * The servers of bench/http run in child processes of their own, so the
 * load-generating client does not share their CPU accounting. A child
 * tells its port over IPC, answers `cpu` with its `process.cpuUsage()`
 * (user + system, every thread of the process) and exits on `stop`.
 *
 * On request a child also records a CPU profile (the V8 profiler through
 * `node:inspector`) and writes it to a file.
 */
import { fork } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector"
import { fileURLToPath } from "node:url"
import { bundled } from "../scripts/launch.mjs"

type ToChild =
  | { readonly type: "cpu" }
  | { readonly type: "stop" }
  | { readonly type: "profile-start"; readonly heap?: boolean }
  | { readonly type: "profile-stop"; readonly file: string; readonly heap?: boolean }
type FromChild =
  | { readonly type: "ready"; readonly port: number }
  | { readonly type: "cpu"; readonly micros: number }
  | { readonly type: "profile"; readonly file: string }

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly pid: number
  /** The child's CPU time so far (user + system), in ms. */
  readonly cpuMs: () => Promise<number>
  /** Starts the child's CPU profiler (or, with `heap`, its sampling heap profiler). */
  readonly startProfile: (heap?: boolean) => void
  /** Stops the child's profiler and has it write the profile (`.cpuprofile` or `.heapprofile` JSON) to `file`. */
  readonly stopProfile: (file: string, heap?: boolean) => Promise<void>
  /** Asks the child to exit, then kills it if it has not. */
  readonly stop: () => Promise<void>
}

const repoRoot = fileURLToPath(new URL("..", import.meta.url))

const nextMessage = <T extends FromChild["type"]>(child: ChildProcess, type: T, timeoutMs: number) =>
  new Promise<Extract<FromChild, { type: T }>>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "${type}" message from child ${child.pid} in ${timeoutMs} ms`)), timeoutMs)
    const onMessage = (m: FromChild) => m.type === type && done(undefined, m as Extract<FromChild, { type: T }>)
    const onExit = (code: number | null) => done(new Error(`child ${child.pid} exited (${code}) before "${type}"`))
    const done = (error?: Error, m?: Extract<FromChild, { type: T }>) => {
      clearTimeout(timer)
      child.off("message", onMessage)
      child.off("exit", onExit)
      error === undefined ? resolve(m!) : reject(error)
    }
    child.on("message", onMessage)
    child.on("exit", onExit)
  })

const exited = (child: ChildProcess, timeoutMs: number) =>
  new Promise<boolean>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true)
    const timer = setTimeout(() => resolve(false), timeoutMs)
    child.once("exit", () => {
      clearTimeout(timer)
      resolve(true)
    })
  })

/**
 * Forks `entry` (a file of bench/) with `env` added to the environment;
 * resolves once it listens. With `bundle`, the entry runs from an esbuild
 * bundle under plain Node, as `npm start` runs the server; else through tsx.
 */
export const startServer = async (
  entry: string,
  env: Readonly<Record<string, string>> = {},
  options: { readonly bundle?: boolean } = {}
): Promise<ServerProcess> => {
  const bundle = options.bundle === true ? await bundled(`bench/${entry.replace(/^\.\//, "")}`, `bench-${entry.replace(/\W/g, "")}`) : undefined
  const child = fork(bundle ?? fileURLToPath(new URL(entry, import.meta.url)), [], {
    cwd: repoRoot,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env },
    execArgv: bundle === undefined ? ["--import", "tsx"] : [],
    stdio: ["ignore", "inherit", "inherit", "ipc"]
  })
  const stop = async () => {
    if (child.connected) child.send({ type: "stop" } satisfies ToChild)
    if (!(await exited(child, 5_000))) {
      child.kill("SIGKILL")
      await exited(child, 2_000)
    }
  }
  try {
    const { port } = await nextMessage(child, "ready", 30_000)
    return {
      url: `http://127.0.0.1:${port}`,
      pid: child.pid!,
      cpuMs: async () => {
        const reply = nextMessage(child, "cpu", 5_000)
        child.send({ type: "cpu" } satisfies ToChild)
        return (await reply).micros / 1000
      },
      startProfile: (heap = false) => child.send({ type: "profile-start", heap } satisfies ToChild),
      stopProfile: async (file, heap = false) => {
        const reply = nextMessage(child, "profile", 30_000)
        child.send({ type: "profile-stop", file, heap } satisfies ToChild)
        await reply
      },
      stop
    }
  } catch (e) {
    await stop()
    throw e
  }
}

/** Child side: reports `port` to the parent and serves its requests; `close` runs before exiting. */
export const serveControl = (port: number, close: () => Promise<void>): void => {
  const reply = (m: FromChild) => process.send!(m)
  const inspector = new Session()
  process.on("message", (m: ToChild) => {
    switch (m.type) {
      case "cpu": {
        const { user, system } = process.cpuUsage()
        return reply({ type: "cpu", micros: user + system })
      }
      case "profile-start":
        inspector.connect()
        if (m.heap === true) inspector.post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true })
        // A sample every 100 µs (V8's default is 1 ms): enough samples to tell apart steps of tens of µs.
        else inspector.post("Profiler.enable", () => inspector.post("Profiler.setSamplingInterval", { interval: 100 }, () => inspector.post("Profiler.start")))
        return
      case "profile-stop":
        if (m.heap === true) {
          return inspector.post("HeapProfiler.stopSampling", (error, result) => {
            if (error === null) writeFileSync(m.file, JSON.stringify(result.profile))
            inspector.disconnect()
            reply({ type: "profile", file: m.file })
          })
        }
        return inspector.post("Profiler.stop", (error, result) => {
          if (error === null) writeFileSync(m.file, JSON.stringify(result.profile))
          inspector.disconnect()
          reply({ type: "profile", file: m.file })
        })
      case "stop":
        return void close().finally(() => process.exit(0))
    }
  })
  // An orphan (the parent died) exits instead of listening forever.
  process.on("disconnect", () => void close().finally(() => process.exit(0)))
  process.send!({ type: "ready", port } satisfies FromChild)
}
