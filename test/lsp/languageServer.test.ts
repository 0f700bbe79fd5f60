/**
 * The language server driven by a real LSP client over stdio (the
 * `constellation lsp --stdio` binary in a child process): documents
 * opened and edited, diagnostics with their ranges, completion, hover,
 * signature help, definition, references, rename, symbols, quick fixes
 * and semantic tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type {
  CodeAction,
  CompletionItem,
  DocumentSymbol,
  Hover,
  Location,
  SemanticTokens,
  SignatureHelp,
  WorkspaceEdit
} from "vscode-languageserver-protocol"
import { startLspClient, positionOf } from "./support/LspClient.js"
import type { LspClient } from "./support/LspClient.js"

let client: LspClient
beforeAll(async () => {
  client = await startLspClient()
}, 60_000)
afterAll(async () => {
  expect(await client.stop()).toBe(0)
})

let counter = 0
const uriFor = (name: string) => `file:///work/${name}-${++counter}.cst`

/** Opens a document and waits for its first diagnostics. */
const open = async (text: string, name = "doc") => {
  const uri = uriFor(name)
  client.open(uri, text)
  const diagnostics = await client.diagnostics(uri, 1)
  return { uri, diagnostics }
}

const markdownOf = (hover: Hover | null): string => {
  const contents = hover?.contents
  return typeof contents === "object" && contents !== null && "value" in contents ? contents.value : ""
}

const labels = (items: ReadonlyArray<CompletionItem> | null) => (items ?? []).map((i) => i.label)

const profile = [
  "# A profile pipeline",
  "type User = {name: String, age: Int, tags: List<String>}",
  "@example(\"hello\")",
  "in text: String",
  "in user: User",
  "upper = Uppercase(text)",
  "size = TextLength(upper)",
  "older = user.age + 1",
  "out upper",
  "out size",
  "out older",
  ""
].join("\n")

describe("initialize", () => {
  it("announces the features it serves and incremental sync", () => {
    const caps = client.initialized.capabilities
    expect(caps.textDocumentSync).toMatchObject({ openClose: true, change: 2 })
    expect(caps.completionProvider?.triggerCharacters).toEqual(expect.arrayContaining([".", ":"]))
    expect(caps).toMatchObject({
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentSymbolProvider: true,
      renameProvider: { prepareProvider: true },
      codeActionProvider: { codeActionKinds: ["quickfix"] }
    })
    expect(caps.semanticTokensProvider?.legend.tokenTypes).toContain("function")
    expect(client.initialized.serverInfo?.name).toBe("constellation-lsp")
  })
})

describe("diagnostics", () => {
  it("publishes none for a valid pipeline", async () => {
    const { diagnostics } = await open(profile)
    expect(diagnostics).toEqual([])
  })

  it("publishes every problem with its code, exact range, hint and quick fix", async () => {
    const text = "in text: String\nupper = Upercase(text)\nn = TextLength(txt)\nout upper\nout n\n"
    const { diagnostics } = await open(text)
    expect(diagnostics.map((d) => [d.code, d.range])).toEqual([
      ["E400", { start: { line: 1, character: 8 }, end: { line: 1, character: 16 } }],
      ["E200", { start: { line: 2, character: 15 }, end: { line: 2, character: 18 } }]
    ])
    const [unknownModule] = diagnostics
    expect(unknownModule).toMatchObject({ severity: 1, source: "constellation" })
    expect(unknownModule!.message).toContain("Unknown module `Upercase`")
    expect(unknownModule!.message).toContain("did you mean `Uppercase`?")
    expect(unknownModule!.data).toMatchObject({ name: "UnknownModule", hint: "did you mean `Uppercase`?", fix: { newText: "Uppercase" } })
  })

  it("points a duplicate definition at the first one", async () => {
    const text = "in a: Int\nb = a + 1\nb = a + 2\nout b\n"
    const { uri, diagnostics } = await open(text)
    expect(diagnostics).toHaveLength(1)
    expect(diagnostics[0]).toMatchObject({ code: "E201", range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } } })
    expect(diagnostics[0]!.relatedInformation).toEqual([
      { location: { uri, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } } }, message: "`b` is first defined here" }
    ])
  })

  it("relates the members of a cycle", async () => {
    const { diagnostics } = await open("in x: Int\na = b + x\nb = a + 1\nout a\n")
    const cycle = diagnostics.find((d) => d.code === "E202")
    expect(cycle?.relatedInformation?.map((r) => r.location.range.start.line)).toEqual([2])
  })

  it("follows incremental edits: the error is gone once the edit fixes it", async () => {
    const text = "in text: String\nupper = Upercase(text)\nout upper\n"
    const { uri, diagnostics } = await open(text)
    expect(diagnostics.map((d) => d.code)).toEqual(["E400"])
    // Insert the missing "p": Upercase -> Uppercase.
    client.change(uri, 2, [{ range: { start: { line: 1, character: 10 }, end: { line: 1, character: 10 } }, text: "p" }])
    expect(await client.diagnostics(uri, 2)).toEqual([])
    // Break it again on another line: an unknown output.
    client.change(uri, 3, [{ range: { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } }, text: "uper" }])
    const again = await client.diagnostics(uri, 3)
    expect(again.map((d) => [d.code, d.range.start, d.range.end])).toEqual([["E203", { line: 2, character: 4 }, { line: 2, character: 8 }]])
  })

  it("reports syntax errors and parses on", async () => {
    const { diagnostics } = await open("in text: String\nx = (text\ny = Uppercase(text\nout y\n")
    expect(diagnostics.length).toBeGreaterThanOrEqual(2)
    expect(diagnostics.every((d) => typeof d.code === "string" && /^E\d{3}$/.test(String(d.code)))).toBe(true)
  })

  it("clears a closed document's diagnostics", async () => {
    const uri = uriFor("closed")
    client.open(uri, "in a: Int\nout b\n")
    expect((await client.diagnostics(uri, 1)).length).toBeGreaterThan(0)
    const cleared = client.nextPublished(uri)
    client.close(uri)
    expect((await cleared).diagnostics).toEqual([])
  })
})

describe("completion", () => {
  const complete = (uri: string, text: string, needle: string, shift: number) =>
    client.request<Array<CompletionItem>>("textDocument/completion", { textDocument: { uri }, position: positionOf(text, needle, shift) })

  it("offers modules with their signatures, and the declared names, in an expression", async () => {
    const text = `${profile}extra = \n`
    const { uri } = await open(text)
    const items = await complete(uri, text, "extra = ", 8)
    expect(labels(items)).toEqual(expect.arrayContaining(["text", "user", "upper", "size", "Uppercase", "TextLength", "filter", "stdlib", "if"]))
    const uppercase = items.find((i) => i.label === "Uppercase")
    expect(uppercase).toMatchObject({ detail: "Uppercase(text: String): String", insertText: "Uppercase(${1:text})", insertTextFormat: 2 })
    expect(JSON.stringify(uppercase?.documentation)).toContain("upper")
    expect(items.find((i) => i.label === "user")?.detail).toBe("input: User")
  })

  it("offers a record's fields after `.`, through aliases, and element-wise on lists", async () => {
    const text = `${profile}n = user.\nm = user.tags.\n`
    const { uri } = await open(text)
    const fields = await complete(uri, text, "user.\n", 5)
    expect(labels(fields).sort()).toEqual(["age", "name", "tags"])
    expect(fields.find((i) => i.label === "tags")?.detail).toBe("List<String>")
    expect(await complete(uri, text, "user.tags.", 10)).toEqual([])
  })

  it("offers the fields of a value computed from a record literal", async () => {
    const text = "in a: Int\nr = {x: a, label: \"n\"}\ny = r.\nout y\n"
    const { uri } = await open(text)
    expect(labels(await complete(uri, text, "r.\n", 2)).sort()).toEqual(["label", "x"])
  })

  it("offers the call options after `with`, and an option's values after its name", async () => {
    const text = "in id: String\np = FlakyService(id) with retry: 3, backoff: \nq = FlakyService(id) with \nout p\n"
    const { uri } = await open(text)
    const options = await complete(uri, text, "with \n", 5)
    expect(labels(options)).toEqual(expect.arrayContaining(["timeout", "retry", "delay", "backoff", "fallback", "cache", "throttle", "on_error", "lazy", "priority"]))
    expect(options.find((i) => i.label === "timeout")?.insertText).toBe("timeout: 2s")
    expect(labels(await complete(uri, text, "retry: 3, ", 10))).toContain("timeout")
    expect(labels(await complete(uri, text, "backoff: ", 9)).sort()).toEqual(["capped", "exponential", "fixed", "linear"])
  })

  it("offers types after `:` in an input, aliases included", async () => {
    const text = "type Point = {x: Int, y: Int}\nin p: \nin q: List<\nout p\n"
    const { uri } = await open(text)
    const types = labels(await complete(uri, text, "in p: ", 6))
    expect(types).toEqual(expect.arrayContaining(["String", "Int", "Float", "Boolean", "List", "Optional", "Map", "Point"]))
    expect(labels(await complete(uri, text, "List<", 5))).toContain("Point")
  })

  it("offers namespaces after `use` and their members after a namespace or an alias", async () => {
    const text = "use stdlib.\nuse stdlib.math as m\nin a: Int\nx = m.\ny = stdlib.math.\nout x\n"
    const { uri } = await open(text)
    expect(labels(await complete(uri, text, "use stdlib.", 11))).toEqual(expect.arrayContaining(["math", "list", "collection"]))
    const members = await complete(uri, text, "m.\n", 2)
    expect(labels(members)).toEqual(expect.arrayContaining(["add", "multiply"]))
    expect(members.find((i) => i.label === "add")?.detail).toBe("stdlib.math.add(a: Int, b: Int): Int")
    expect(labels(await complete(uri, text, "stdlib.math.\n", 12))).toContain("add")
  })

  it("offers the lambda's parameters inside its body", async () => {
    const text = "in xs: List<Int>\nys = filter(xs, (item) => it)\nout ys\n"
    const { uri } = await open(text)
    const items = await complete(uri, text, "=> it", 5)
    expect(items.find((i) => i.label === "item")).toMatchObject({ detail: "parameter: Int" })
  })

  it("offers the declaration keywords at the start of a line, and nothing in a string or comment", async () => {
    const text = "in a: String\n\nb = \"in a str\" # comment\nout b\n"
    const { uri } = await open(text)
    expect(labels(await complete(uri, text, "\n\n", 1))).toEqual(expect.arrayContaining(["in", "out", "type", "use"]))
    expect(await complete(uri, text, "in a str", 3)).toEqual([])
    expect(await complete(uri, text, "# comment", 4)).toEqual([])
  })
})

describe("hover", () => {
  const hover = async (uri: string, text: string, needle: string, shift = 0, n = 0) =>
    markdownOf(await client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: positionOf(text, needle, shift, n) }))

  it("shows the type of inputs, values and outputs", async () => {
    const { uri } = await open(profile)
    expect(await hover(uri, profile, "user: User", 1)).toContain("(input) user: User")
    expect(await hover(uri, profile, "size =", 1)).toContain("(value) size: Int")
    expect(await hover(uri, profile, "out older", 5)).toContain("(value) older: Int")
    expect(await hover(uri, profile, "User =", 1)).toContain("type User = {name: String, age: Int, tags: List<String>}")
  })

  it("shows a module's signature and description at its call", async () => {
    const { uri } = await open(profile)
    const text = await hover(uri, profile, "TextLength", 3)
    expect(text).toContain("TextLength(text: String): Int")
    expect(text).toContain("Counts the Unicode code points")
  })

  it("shows the type of any expression: a field, an operation", async () => {
    const { uri } = await open(profile)
    expect(await hover(uri, profile, "user.age", 6)).toContain(".age: Int")
    expect(await hover(uri, profile, "+ 1", 0)).toContain("user.age + 1: Int")
  })

  it("explains a `with` option", async () => {
    const text = "in id: String\np = FlakyService(id) with retry: 2\nout p\n"
    const { uri } = await open(text)
    expect(await hover(uri, text, "retry", 2)).toContain("extra attempts after a failure")
  })

  it("answers null over nothing", async () => {
    const { uri } = await open(profile)
    expect(await client.request("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 3 } })).toBeNull()
  })
})

describe("signature help", () => {
  it("shows the signature and the active parameter inside a call being written", async () => {
    const text = "in n: Float\ns = FormatNumber(n, \nout s\n"
    const { uri } = await open(text)
    const help = await client.request<SignatureHelp | null>("textDocument/signatureHelp", { textDocument: { uri }, position: positionOf(text, "(n, ", 4) })
    expect(help?.signatures[0]?.label).toBe("FormatNumber(number: Float, decimals: Int = 2): String")
    expect(help?.activeParameter).toBe(1)
    const [start, end] = help!.signatures[0]!.parameters![1]!.label as [number, number]
    expect(help!.signatures[0]!.label.slice(start, end)).toBe("decimals: Int = 2")
  })
})

describe("navigation", () => {
  const at = (uri: string, text: string, needle: string, shift = 0, n = 0) => ({ textDocument: { uri }, position: positionOf(text, needle, shift, n) })

  it("goes to the definition of an input and of a value", async () => {
    const { uri } = await open(profile)
    const input = await client.request<Array<Location>>("textDocument/definition", at(uri, profile, "Uppercase(text)", 11))
    expect(input).toEqual([{ uri, range: { start: { line: 3, character: 3 }, end: { line: 3, character: 7 } } }])
    const value = await client.request<Array<Location>>("textDocument/definition", at(uri, profile, "out upper", 5))
    expect(value.map((l) => l.range.start)).toEqual([{ line: 5, character: 0 }])
  })

  it("finds the references of a name, its declaration included when asked", async () => {
    const { uri } = await open(profile)
    const params = at(uri, profile, "upper =")
    const all = await client.request<Array<Location>>("textDocument/references", { ...params, context: { includeDeclaration: true } })
    expect(all.map((l) => l.range.start.line)).toEqual([5, 6, 8])
    const uses = await client.request<Array<Location>>("textDocument/references", { ...params, context: { includeDeclaration: false } })
    expect(uses.map((l) => l.range.start.line)).toEqual([6, 8])
  })

  it("scopes a lambda's parameter to its lambda", async () => {
    const text = "in xs: List<Int>\nin x: Int\nys = filter(xs, (x) => x > 1)\nz = x + 1\nout ys\nout z\n"
    const { uri } = await open(text)
    const refs = await client.request<Array<Location>>("textDocument/references", { ...at(text.length > 0 ? uri : uri, text, "(x)", 1), context: { includeDeclaration: true } })
    expect(refs.map((l) => [l.range.start.line, l.range.start.character])).toEqual([[2, 17], [2, 23]])
  })

  it("renames a name everywhere it is used, outputs included", async () => {
    const { uri } = await open(profile)
    const prepared = await client.request<{ placeholder: string } | null>("textDocument/prepareRename", at(uri, profile, "upper)", 1))
    expect(prepared?.placeholder).toBe("upper")
    const edit = await client.request<WorkspaceEdit>("textDocument/rename", { ...at(uri, profile, "upper)", 1), newName: "shouted" })
    const edits = edit.changes?.[uri] ?? []
    expect(edits.map((e) => [e.range.start.line, e.range.start.character, e.newText])).toEqual([[5, 0, "shouted"], [6, 18, "shouted"], [8, 4, "shouted"]])
  })

  it("renames a type alias in every type that names it", async () => {
    const { uri } = await open(profile)
    const edit = await client.request<WorkspaceEdit>("textDocument/rename", { ...at(uri, profile, "User ="), newName: "Person" })
    expect((edit.changes?.[uri] ?? []).map((e) => e.range.start.line)).toEqual([1, 4])
  })

  it("refuses a rename to a keyword, a taken name or no name, with the reason", async () => {
    const { uri } = await open(profile)
    const params = at(uri, profile, "upper =")
    await expect(client.request("textDocument/rename", { ...params, newName: "out" })).rejects.toThrow(/keyword/)
    await expect(client.request("textDocument/rename", { ...params, newName: "size" })).rejects.toThrow(/already defined/)
    await expect(client.request("textDocument/rename", { ...params, newName: "two words" })).rejects.toThrow(/not a name/)
    expect(await client.request("textDocument/prepareRename", at(uri, profile, "Uppercase", 2))).toBeNull()
  })
})

describe("symbols, quick fixes, highlighting", () => {
  it("lists inputs, values, outputs and types as document symbols", async () => {
    const { uri } = await open(profile)
    const symbols = await client.request<Array<DocumentSymbol>>("textDocument/documentSymbol", { textDocument: { uri } })
    expect(symbols.map((s) => [s.name, s.detail])).toEqual([
      ["User", "type"],
      ["text", "in: String"],
      ["user", "in: User"],
      ["upper", "String"],
      ["size", "Int"],
      ["older", "Int"],
      ["out upper", "String"],
      ["out size", "Int"],
      ["out older", "Int"]
    ])
  })

  it("offers the hint's suggestion as a quick fix", async () => {
    const text = "use stdlib.math as m\nin a: Int\nb = m.ad(a, 1)\nout b\n"
    const { uri, diagnostics } = await open(text)
    expect(diagnostics.map((d) => d.code)).toEqual(["E251"])
    const actions = await client.request<Array<CodeAction>>("textDocument/codeAction", {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics }
    })
    expect(actions).toHaveLength(1)
    expect(actions[0]).toMatchObject({ title: "Change to `add`", kind: "quickfix", isPreferred: true })
    // Only the member is replaced: `m.ad` becomes `m.add`.
    expect(actions[0]!.edit?.changes?.[uri]).toEqual([{ range: { start: { line: 2, character: 6 }, end: { line: 2, character: 8 } }, newText: "add" }])
  })

  it("classifies each name in semantic tokens", async () => {
    const { uri } = await open(profile)
    const tokens = await client.request<SemanticTokens>("textDocument/semanticTokens/full", { textDocument: { uri } })
    const legend = client.initialized.capabilities.semanticTokensProvider!.legend.tokenTypes
    // Decode the relative encoding into [line, character, length, type].
    const decoded: Array<[number, number, number, string]> = []
    let line = 0
    let character = 0
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [dl, dc, length, type] = tokens.data.slice(i, i + 4) as [number, number, number, number]
      line += dl
      character = dl === 0 ? character + dc : dc
      decoded.push([line, character, length, legend[type]!])
    }
    expect(decoded).toContainEqual([5, 8, 9, "function"])
    expect(decoded).toContainEqual([5, 18, 4, "variable"])
    expect(decoded).toContainEqual([4, 9, 4, "type"])
    expect(decoded).toContainEqual([7, 13, 3, "property"])
    expect(decoded).toContainEqual([3, 0, 2, "keyword"])
  })
})
