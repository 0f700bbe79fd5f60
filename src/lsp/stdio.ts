/**
 * The language server over standard input and output, as editors start
 * it (`constellation lsp --stdio`). Standard output carries the protocol
 * only: anything the process logs goes to standard error. The process
 * ends when the client sends `exit` or closes the input.
 */
import { createConnection } from "vscode-languageserver/node"
import type { ModuleRegistryShape } from "../modules/ModuleRegistry.js"
import { serveLanguage } from "./LanguageServer.js"

/** Serves the language on stdin/stdout until the client goes away (the process then exits). */
export const serveStdio = (registry: ModuleRegistryShape): void => {
  const toStderr = (...args: ReadonlyArray<unknown>) => {
    process.stderr.write(`${args.map(String).join(" ")}\n`)
  }
  console.log = toStderr
  console.info = toStderr
  console.debug = toStderr
  const connection = createConnection(process.stdin, process.stdout)
  serveLanguage(connection, { registry })
}
