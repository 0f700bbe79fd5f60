/**
 * The extension's entry point (bundled to dist/extension.js): activation
 * with vscode-languageclient's `LanguageClient`.
 */
import type * as vscode from "vscode"
import { LanguageClient } from "vscode-languageclient/node"
import type { ServerOptions } from "vscode-languageclient/node"
import { activateWith } from "./activation.mjs"
import type { Activated } from "./activation.mjs"

let activated: Activated | undefined

export const activate = async (context: vscode.ExtensionContext): Promise<void> => {
  activated = await activateWith(context, (serverOptions, clientOptions) =>
    new LanguageClient("constellation", "Constellation", serverOptions as ServerOptions, { ...clientOptions, documentSelector: [...clientOptions.documentSelector] }))
}

export const deactivate = (): Promise<void> | undefined => activated?.deactivate()
