import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Layer } from "effect"
import { CompileError } from "../../src/lang/CompiledPipeline.js"
import { Compiler, UnknownRefError, makeCompiler } from "../../src/lang/Compiler.js"
import { ModuleRegistry, makeRegistry } from "../../src/modules/ModuleRegistry.js"
import type { ModuleRegistryShape } from "../../src/modules/ModuleRegistry.js"
import { Trim, Uppercase, testRegistry } from "./fixtures.js"

const withConfig = (entries: ReadonlyArray<readonly [string, string]>) =>
  Compiler.layer.pipe(
    Layer.provide(Layer.succeed(ModuleRegistry, testRegistry)),
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(entries))))
  )

const TestCompiler = withConfig([])

const program = (name: string) => `in t: String\n${name} = Uppercase(t)\nout ${name}`

describe("Compiler", () => {
  it.effect("compiles the same source once", () =>
    Effect.gen(function*() {
      const compiler = yield* Compiler
      const first = yield* compiler.compile(program("a"))
      const second = yield* compiler.compile(program("a"))
      expect(second).toBe(first)
      expect(yield* compiler.stats).toEqual({ hits: 1, misses: 1, size: 1 })
    }).pipe(Effect.provide(TestCompiler)))

  it.effect("caches compile errors too", () =>
    Effect.gen(function*() {
      const compiler = yield* Compiler
      const first = yield* Effect.flip(compiler.compile("x = Nope()\nout x"))
      const second = yield* Effect.flip(compiler.compile("x = Nope()\nout x"))
      expect(first).toBeInstanceOf(CompileError)
      // The span of Effect.fn wraps a failure; the cached error underneath is the same.
      expect(second.diagnostics).toBe(first.diagnostics)
      expect(first.diagnostics.map((d) => d.code)).toEqual(["E400"])
      expect(yield* compiler.stats).toEqual({ hits: 1, misses: 1, size: 1 })
    }).pipe(Effect.provide(TestCompiler)))

  it.effect("finds a compiled pipeline by its ref", () =>
    Effect.gen(function*() {
      const compiler = yield* Compiler
      const pipeline = yield* compiler.compile(program("a"))
      expect(yield* compiler.lookup(pipeline.ref)).toBe(pipeline)
      const missing = yield* Effect.flip(compiler.lookup("sha256:0000"))
      expect(missing).toBeInstanceOf(UnknownRefError)
      expect(missing.ref).toBe("sha256:0000")
    }).pipe(Effect.provide(TestCompiler)))

  it.effect("evicts the least recently used source beyond COMPILE_CACHE_SIZE", () =>
    Effect.gen(function*() {
      const compiler = yield* Compiler
      const a = yield* compiler.compile(program("a"))
      yield* compiler.compile(program("b"))
      yield* compiler.compile(program("a"))
      yield* compiler.compile(program("c"))
      expect(yield* compiler.stats).toEqual({ hits: 1, misses: 3, size: 2 })
      yield* compiler.compile(program("b"))
      expect(yield* compiler.stats).toEqual({ hits: 1, misses: 4, size: 2 })
      const evicted = yield* Effect.flip(compiler.lookup(a.ref))
      expect(evicted._tag).toBe("UnknownRefError")
    }).pipe(Effect.provide(withConfig([["COMPILE_CACHE_SIZE", "2"]]))))

  it.effect("counts a lookup as a use of the source", () =>
    Effect.gen(function*() {
      const compiler = yield* Compiler
      const a = yield* compiler.compile(program("a"))
      const b = yield* compiler.compile(program("b"))
      expect(yield* compiler.lookup(a.ref)).toBe(a)
      yield* compiler.compile(program("c"))
      expect(yield* compiler.lookup(a.ref)).toBe(a)
      expect((yield* Effect.flip(compiler.lookup(b.ref)))._tag).toBe("UnknownRefError")
    }).pipe(Effect.provide(withConfig([["COMPILE_CACHE_SIZE", "2"]]))))

  it.effect("keeps a ref while another cached source still compiles to it", () =>
    Effect.gen(function*() {
      const compiler = yield* Compiler
      const a = yield* compiler.compile(program("a"))
      const same = yield* compiler.compile(`${program("a")}\n# a comment`)
      expect(same.ref).toBe(a.ref)
      yield* compiler.compile(program("b"))
      expect((yield* compiler.lookup(a.ref)).ref).toBe(a.ref)
    }).pipe(Effect.provide(withConfig([["COMPILE_CACHE_SIZE", "2"]]))))

  it.effect("rejects a cache size below 1", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Layer.build(withConfig([["COMPILE_CACHE_SIZE", "0"]])).pipe(Effect.scoped))
      expect(Exit.isFailure(exit)).toBe(true)
    }))

  it.effect("recompiles when the registry's fingerprint changes", () =>
    Effect.gen(function*() {
      const registries = [makeRegistry([Uppercase]), makeRegistry([Uppercase, Trim])]
      let current = 0
      const registry: ModuleRegistryShape = {
        get: (name) => registries[current]!.get(name),
        list: () => registries[current]!.list(),
        get fingerprint() {
          return registries[current]!.fingerprint
        }
      }
      const compiler = makeCompiler(registry, { capacity: 10 })
      const source = "in t: String\nx = Trim(t)\nout x"
      const before = yield* Effect.flip(compiler.compile(source))
      expect(before.diagnostics.map((d) => d.code)).toEqual(["E400"])
      current = 1
      const after = yield* compiler.compile(source)
      expect(after.dag.modules[0]?.module).toBe("Trim")
      expect(yield* compiler.stats).toEqual({ hits: 0, misses: 2, size: 1 })
    }))
})
