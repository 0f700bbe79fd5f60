/**
 * The dashboard's bundle is kept between runs (src/web/bundle.ts): read
 * back while none of the files it was built from changed, built again
 * when one did (its manifest of inputs, `inputs.json`, decides). In a directory of the test's own, so no other test's
 * server is served what this one writes there.
 */
import { Effect } from "effect"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { buildCachedIn, needsBuildIn } from "../../src/web/bundle.js"

const dir = mkdtempSync(join(tmpdir(), "constellation-web-cache-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Cached { inputs: Array<[string, number, number]>; js: string; css: string }
const file = join(dir, "inputs.json")
const read = (): Cached => ({
  inputs: JSON.parse(readFileSync(file, "utf8")) as Cached["inputs"],
  js: readFileSync(join(dir, "app.js"), "utf8"),
  css: readFileSync(join(dir, "app.css"), "utf8")
})
const write = (c: Cached) => {
  writeFileSync(join(dir, "app.js"), c.js)
  writeFileSync(join(dir, "app.css"), c.css)
  writeFileSync(file, JSON.stringify(c.inputs))
}

describe("the dashboard bundle's cache", () => {
  it("is written with the files it was built from, read back while they are unchanged, rebuilt when one changed", { timeout: 60_000 }, async () => {
    const first = await Effect.runPromise(buildCachedIn(dir))
    const cached = read()
    expect(cached.js).toBe(first.js)
    expect(cached.inputs.some(([path]) => path.endsWith(join("web", "app", "main.ts")))).toBe(true)
    expect(cached.inputs.some(([path]) => path.endsWith(join("web", "app", "styles.css")))).toBe(true)

    // What is read back is the cache's: a marker put there comes out.
    write({ ...cached, js: "/* from the cache */" })
    const again = await Effect.runPromise(buildCachedIn(dir))
    expect(again.js).toBe("/* from the cache */")
    expect(again.version).not.toBe(first.version)

    // An input recorded with another modification time: built again, and the cache rewritten.
    const [path, size] = cached.inputs[0]!
    write({ ...cached, js: "/* stale */", inputs: [[path, size, 0], ...cached.inputs.slice(1)] })
    const rebuilt = await Effect.runPromise(buildCachedIn(dir))
    expect(rebuilt.js).toBe(first.js)
    expect(read().js).toBe(first.js)
  })

  it("an unreadable cache is built again, not an error", { timeout: 60_000 }, async () => {
    writeFileSync(file, "{ not json")
    const bundle = await Effect.runPromise(buildCachedIn(dir))
    expect(bundle.js.length).toBeGreaterThan(1000)
    expect(read().js).toBe(bundle.js)
  })

  it("needs a build (so the server warms it up) when none is kept or a source changed since, not when it is kept and current", { timeout: 60_000 }, async () => {
    expect(await Effect.runPromise(needsBuildIn(join(dir, "none")))).toBe(true)
    await Effect.runPromise(buildCachedIn(dir))
    expect(await Effect.runPromise(needsBuildIn(dir))).toBe(false)
    // A source touched since the bundle was kept.
    const cached = read()
    const [path, size] = cached.inputs[0]!
    write({ ...cached, inputs: [[path, size, 0], ...cached.inputs.slice(1)] })
    expect(await Effect.runPromise(needsBuildIn(dir))).toBe(true)
  })
})
