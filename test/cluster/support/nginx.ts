/**
 * nginx from Debian's package in front of instances, with the recipe's own
 * configuration (deploy/nginx.conf.template, rendered as deploy/local.sh
 * renders it) on a free port of 127.0.0.1; stopped in teardown.
 */
import { spawn, spawnSync } from "node:child_process"
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { freePort } from "../../http/support/startupProbe.js"

const template = new URL("../../../deploy/nginx.conf.template", import.meta.url)

/** Whether nginx is installed (`.ci/run` installs it). */
export const nginxAvailable = (): boolean => spawnSync("nginx", ["-v"], { stdio: "ignore" }).status === 0

/** The recipe's configuration for `upstreams` (ports of 127.0.0.1), listening on `listen`. */
export const renderConfig = (runDir: string, listen: string, upstreams: ReadonlyArray<number>): string =>
  readFileSync(template, "utf8")
    .replaceAll("{{RUN_DIR}}", runDir)
    .replaceAll("{{LISTEN}}", listen)
    .replace("{{UPSTREAMS}}\n", upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=0;\n`).join(""))

export interface Nginx {
  readonly url: string
  readonly stop: () => Promise<void>
}

export const startNginx = async (upstreams: ReadonlyArray<number>): Promise<Nginx> => {
  const runDir = mkdtempSync(join(tmpdir(), "constellation-nginx-"))
  for (const d of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(runDir, d))
  for (const d of ["", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) chmodSync(join(runDir, d), 0o777)
  const port = await freePort()
  writeFileSync(join(runDir, "nginx.conf"), renderConfig(runDir, `127.0.0.1:${port}`, upstreams))
  const child = spawn("nginx", ["-p", runDir, "-e", join(runDir, "error.log"), "-c", join(runDir, "nginx.conf"), "-g", "daemon off;"], {
    stdio: ["ignore", "ignore", "pipe"]
  })
  const reap = () => child.kill("SIGKILL")
  process.once("exit", reap)
  child.once("exit", () => process.removeListener("exit", reap))
  let stderr = ""
  child.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
  const url = `http://127.0.0.1:${port}`
  const until = Date.now() + 10_000
  while (!(await fetch(`${url}/health`).then((r) => r.status === 200, () => false))) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill("SIGKILL")
      throw new Error(`nginx did not serve within 10 s: ${stderr} ${readFileSync(join(runDir, "error.log"), "utf8")}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once("exit", () => resolve())
          child.kill("SIGQUIT")
        })
      }
      rmSync(runDir, { recursive: true, force: true })
    }
  }
}
