/**
 * The server's memory at idle, as `npm start` runs it: `node
 * scripts/start.mjs` on a free 127.0.0.1 port, `/health` awaited, 3 s of
 * idle, then VmRSS, RssAnon and RssFile from `/proc/<pid>/status`, and the
 * part of RssAnon that is glibc's main heap (`[heap]` in `/proc/<pid>/smaps`:
 * 4 MB, or about 11 in the starts where glibc keeps what the bundle's load
 * left there; docs/operations.md, "Resident memory at idle"). Several
 * starts (the first, which may bundle, is discarded); the process is
 * stopped by its pid after each.
 *
 * Run: npx tsx bench/idleMemory.ts [starts=5] [extra node flags...]
 * (`BENCH_ROOT=<another checkout>` measures that checkout's server instead,
 * for before/after runs.)
 */
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"

const repoRoot = process.env["BENCH_ROOT"] ?? fileURLToPath(new URL("..", import.meta.url))
const IDLE_MS = 3_000
const READY_TIMEOUT_MS = 120_000

export interface IdleMemory {
  /** From the spawn to the first 200 from /health. */
  readonly readyMs: number
  readonly rssMB: number
  readonly anonMB: number
  readonly fileMB: number
  /** glibc's main heap (`[heap]`), resident; NaN where /proc has no smaps or no such mapping. */
  readonly mallocHeapMB: number
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The resident size of glibc's main heap, from the `Rss:` line after the `[heap]` mapping in smaps. */
const mallocHeapKb = (pid: number): number => {
  try {
    const smaps = readFileSync(`/proc/${pid}/smaps`, "utf8")
    const at = smaps.search(/ \[heap\]\n/)
    return at < 0 ? NaN : Number(/^Rss:\s+(\d+)/m.exec(smaps.slice(at))?.[1] ?? NaN)
  } catch {
    return NaN
  }
}

const status = (pid: number): Omit<IdleMemory, "readyMs"> => {
  const text = readFileSync(`/proc/${pid}/status`, "utf8")
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? NaN)
  return { rssMB: kb("VmRSS") / 1024, anonMB: kb("RssAnon") / 1024, fileMB: kb("RssFile") / 1024, mallocHeapMB: mallocHeapKb(pid) / 1024 }
}

const healthy = async (url: string, deadline: number): Promise<void> => {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).ok) return
    } catch {
      // Not listening yet.
    }
    await sleep(20)
  }
  throw new Error(`no /health answer from ${url} in ${READY_TIMEOUT_MS} ms`)
}

/** One start of the server: its memory after 3 s of idle. */
export const measureOnce = async (nodeFlags: ReadonlyArray<string> = []): Promise<IdleMemory> => {
  const port = await freePort()
  const child = spawn(process.execPath, [...nodeFlags, "scripts/start.mjs"], {
    cwd: repoRoot,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"]
  })
  const ended = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const started = performance.now()
  try {
    await healthy(`http://127.0.0.1:${port}`, Date.now() + READY_TIMEOUT_MS)
    const readyMs = performance.now() - started
    await sleep(IDLE_MS)
    return { readyMs, ...status(child.pid!) }
  } finally {
    child.kill("SIGTERM")
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000)
    await ended
    clearTimeout(timer)
  }
}

const fmt = (n: number) => n.toFixed(1)

export const main = async (starts = 5, nodeFlags: ReadonlyArray<string> = []): Promise<string> => {
  await measureOnce(nodeFlags) // may bundle: discarded
  const runs: Array<IdleMemory> = []
  for (let i = 0; i < starts; i++) runs.push(await measureOnce(nodeFlags))
  const rows = runs.map((r, i) => `| ${i + 1} | ${fmt(r.rssMB)} | ${fmt(r.anonMB)} | ${fmt(r.mallocHeapMB)} | ${fmt(r.fileMB)} | ${r.readyMs.toFixed(0)} |`)
  return [
    "| start | VmRSS MB | RssAnon MB | of it, glibc's heap MB | RssFile MB | ready ms |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows
  ].join("\n")
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [n, ...flags] = process.argv.slice(2)
  main(n === undefined ? 5 : Number(n), flags).then((text) => console.log(text))
}
