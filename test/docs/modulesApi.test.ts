/**
 * docs/modules.md against `GET /modules` of a running server: the page and
 * the API cannot drift. Every module the server lists has a section with
 * its signature exactly as the API gives it (defaults included) and its
 * description quoted verbatim; the page documents no module the server
 * does not have.
 */
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ModulesResponse } from "../../src/protocol/api.js"
import { makeApp } from "../http/support/server.js"
import type { TestApp } from "../http/support/server.js"
import { readDoc } from "./markdown.js"

const doc = readDoc("docs/modules.md")
const reference = doc.slice(0, doc.indexOf("## Writing your own module"))
/** `### name` section texts, each up to the next `###` or `##` heading. */
const sections = new Map(reference.split(/^### /m).slice(1).map((part) => {
  const name = part.slice(0, part.indexOf("\n")).trim()
  return [name, part.split(/^## /m)[0]!] as const
}))

let app: TestApp
let modules: ModulesResponse["modules"] = []
beforeAll(async () => {
  app = makeApp()
  modules = Schema.decodeUnknownSync(ModulesResponse)(await (await app.fetch("/modules")).json()).modules
})
afterAll(() => app.dispose())

describe("docs/modules.md and GET /modules", () => {
  it("document exactly the modules the server lists", () => {
    expect(modules.length).toBeGreaterThanOrEqual(60)
    expect([...sections.keys()].sort()).toEqual(modules.map((m) => m.name).sort())
  })

  it("give each module's signature as GET /modules does, defaults included", () => {
    for (const m of modules) expect(sections.get(m.name)?.split("\n")[2], m.name).toBe(`\`${m.signature}\``)
  })

  it("quote each module's description from GET /modules", () => {
    for (const m of modules) expect(sections.get(m.name)?.split("\n"), m.name).toContain(`> ${m.description}`)
  })

  it("show every parameter default in the signature", () => {
    for (const m of modules) {
      for (const p of m.parameters) {
        if (p.default !== undefined) expect(m.signature, m.name).toContain(`${p.name}: ${p.type} = ${JSON.stringify(p.default)}`)
      }
    }
    expect(modules.some((m) => m.parameters.some((p) => p.default !== undefined))).toBe(true)
  })
})
