/**
 * No function literal is assigned straight to a property in the engine's
 * and the server's code (src/runtime, src/http, src/modules, src/lang).
 * V8 allocates such a function in the old generation, on the guess that it
 * is a method being installed; made per execution or per request, it dies
 * there, and until the next major collection its scope keeps alive what it
 * reaches through every minor collection. Assign it through a local
 * instead (`const wake = () => ...; this.wake = wake`).
 * test/runtime/youngGeneration.test.ts measures what this cost.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const FOLDERS = ["src/runtime", "src/http", "src/modules", "src/lang"]

const walk = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : path.endsWith(".ts") ? [path] : []
  })

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken
])

/** `file:line: text` of each function literal assigned straight to a property in `source`. */
const propertyFunctionAssignments = (file: string, source: string): Array<string> => {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true)
  const found: Array<string> = []
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) && ASSIGNMENTS.has(node.operatorToken.kind) &&
      (ts.isPropertyAccessExpression(node.left) || ts.isElementAccessExpression(node.left))
    ) {
      let right: ts.Expression = node.right
      while (ts.isParenthesizedExpression(right) || ts.isAsExpression(right) || ts.isSatisfiesExpression(right)) right = right.expression
      if (ts.isArrowFunction(right) || ts.isFunctionExpression(right)) {
        const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1
        found.push(`${file}:${line}: ${node.getText(sf).split("\n")[0]}`)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return found
}

describe("function literals assigned to properties", () => {
  it("are found by the check (an assignment, a `??=`, a keyed one, in parentheses; not one through a local)", () => {
    const source = [
      "o.a = () => 1",
      "o.b ??= function () { return 2 }",
      "o[\"c\"] = (() => 3)",
      "const d = () => 4",
      "o.d = d",
      "const e = { f: () => 5 }"
    ].join("\n")
    expect(propertyFunctionAssignments("x.ts", source).map((s) => s.split(": ")[0])).toEqual(["x.ts:1", "x.ts:2", "x.ts:3"])
  })

  it("are not in the engine's or the server's code", () => {
    const found = FOLDERS.flatMap((folder) =>
      walk(join(ROOT, folder)).flatMap((path) => propertyFunctionAssignments(relative(ROOT, path), readFileSync(path, "utf8"))))
    expect(found).toEqual([])
  })
})
