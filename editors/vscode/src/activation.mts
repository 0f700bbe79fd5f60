/**
 * The extension's activation: starts the language client and registers
 * the commands. The language client is made by a factory the entry point
 * passes (vscode-languageclient's `LanguageClient`), so this file needs
 * nothing but the VS Code API.
 */
import * as vscode from "vscode"
import { createClient } from "../../../src/client/index.js"
import { documentSelector, serverOptionsFor } from "./languageClientOptions.mjs"
import type { ServerSpec } from "./languageClientOptions.mjs"
import { runPipeline } from "./runPipeline.mjs"
import type { RunOutcome } from "./runPipeline.mjs"
import { readSettings } from "./settings.mjs"
import type { Settings } from "./settings.mjs"

/** What activation needs of a language client. */
export interface LanguageClientLike {
  readonly start: () => Promise<void>
  readonly stop: () => Promise<void>
}

export type LanguageClientFactory = (
  serverOptions: ServerSpec,
  clientOptions: { readonly documentSelector: typeof documentSelector; readonly outputChannelName: string }
) => LanguageClientLike

export const RUN_COMMAND = "constellation.runPipeline"
export const CANCEL_COMMAND = "constellation.cancelRun"
export const RESTART_COMMAND = "constellation.restartLanguageServer"

export interface Activated {
  /** The run in progress: its outcome once it ends. */
  readonly running: () => Promise<RunOutcome> | undefined
  readonly deactivate: () => Promise<void>
}

const settingsNow = (): Settings => {
  const config = vscode.workspace.getConfiguration("constellation")
  return readSettings((key) => config.get(key))
}

export const activateWith = async (context: vscode.ExtensionContext, makeClient: LanguageClientFactory): Promise<Activated> => {
  const runLog = vscode.window.createOutputChannel("Constellation")
  context.subscriptions.push(runLog)

  let client: LanguageClientLike | undefined
  const startClient = async () => {
    client = makeClient(serverOptionsFor(settingsNow()), { documentSelector, outputChannelName: "Constellation Language Server" })
    try {
      await client.start()
    } catch (error) {
      void vscode.window.showErrorMessage(`The Constellation language server did not start: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  await startClient()

  let current: { readonly controller: AbortController; readonly outcome: Promise<RunOutcome> } | undefined

  const run = async (): Promise<RunOutcome | undefined> => {
    const editor = vscode.window.activeTextEditor
    if (editor === undefined || editor.document.languageId !== "constellation") {
      void vscode.window.showWarningMessage("Open a constellation-lang pipeline (.cst) to run it.")
      return undefined
    }
    current?.controller.abort()
    const settings = settingsNow()
    const controller = new AbortController()
    const apiClient = createClient({
      baseUrl: settings.serverUrl,
      ...(settings.apiKey === "" ? {} : { headers: { authorization: `Bearer ${settings.apiKey}` } })
    })
    runLog.show(true)
    runLog.appendLine(`— ${editor.document.fileName} on ${settings.serverUrl}`)
    const outcome = Promise.resolve(vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "Running the pipeline", cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort())
        return runPipeline({
          source: editor.document.getText(),
          client: apiClient,
          signal: controller.signal,
          view: {
            line: (text) => runLog.appendLine(text),
            progress: (completed, total) => progress.report({ message: `${completed}/${total} modules` })
          },
          ask: (name, type, initial, validate) =>
            Promise.resolve(vscode.window.showInputBox({
              title: "Run pipeline",
              prompt: `${name}: ${type}`,
              value: initial,
              ignoreFocusOut: true,
              validateInput: validate
            }))
        })
      }
    ))
    current = { controller, outcome }
    const result = await outcome
    if (current?.controller === controller) current = undefined
    return result
  }

  context.subscriptions.push(
    vscode.commands.registerCommand(RUN_COMMAND, run),
    vscode.commands.registerCommand(CANCEL_COMMAND, () => current?.controller.abort()),
    vscode.commands.registerCommand(RESTART_COMMAND, async () => {
      await client?.stop().catch(() => undefined)
      await startClient()
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("constellation.languageServer") || e.affectsConfiguration("constellation.server")) {
        void vscode.commands.executeCommand(RESTART_COMMAND)
      }
    })
  )

  return {
    running: () => current?.outcome,
    deactivate: async () => {
      current?.controller.abort()
      await client?.stop().catch(() => undefined)
    }
  }
}
