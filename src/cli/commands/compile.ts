/**
 * `constellation compile <file.cst>`: the diagnostics of a pipeline the way
 * compilers print them (exit 2), or its typed inputs and outputs and its
 * ref.
 */
import { Args, Command } from "@effect/cli"
import { Effect, Layer } from "effect"
import { diagnosticWire } from "../../protocol/errors.js"
import { Compiler } from "../../lang/Compiler.js"
import type { Binding } from "../../lang/dag.js"
import { printType } from "../../lang/types.js"
import * as Constellation from "../../runtime/layers.js"
import { usage } from "../CliFailure.js"
import { formatDiagnostics } from "../formatDiagnostic.js"
import { readText } from "../readText.js"
import { Terminal } from "../Terminal.js"

const file = Args.text({ name: "file.cst" }).pipe(Args.withDescription("The pipeline to check: a constellation-lang file (.cst)."))

/** `in  query: String`, as the pipeline declares it. */
const declarations = (keyword: "in " | "out", bindings: ReadonlyArray<Binding>): Array<string> =>
  bindings.map((b) => `${keyword} ${b.name}: ${printType(b.type)}`)

export const compile = Command.make("compile", { file }, ({ file }) =>
  Effect.gen(function*() {
    const terminal = yield* Terminal
    const compiler = yield* Compiler
    const source = yield* readText(file)
    const pipeline = yield* compiler.compile(source).pipe(
      Effect.mapError((e) => usage(formatDiagnostics(file, source, e.diagnostics.map(diagnosticWire), terminal.style)))
    )
    const calls = pipeline.dag.modules.length
    yield* terminal.out([
      `${file}: ok, ${calls} module ${calls === 1 ? "call" : "calls"}`,
      `ref: ${pipeline.ref}`,
      ...declarations("in ", pipeline.dag.inputs),
      ...declarations("out", pipeline.dag.outputs)
    ].join("\n"))
  }).pipe(Effect.provide(Constellation.layer().pipe(Layer.mapError((e) => usage(`Invalid configuration: ${e.message}`)))))
).pipe(Command.withDescription("Check a pipeline: its diagnostics, or its typed inputs, outputs and ref."))
