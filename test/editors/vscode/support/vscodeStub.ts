/**
 * The part of the VS Code API the extension's activation uses, for tests
 * in a process without VS Code (no VS Code binary can be installed here):
 * commands kept in a table, settings from a map, output channels that
 * record their lines, input boxes answered by the test.
 */
export interface VscodeStub {
  readonly settings: Map<string, unknown>
  readonly commands: Map<string, (...args: ReadonlyArray<unknown>) => unknown>
  readonly channels: Map<string, Array<string>>
  readonly messages: Array<string>
  /** Answers an input box (its prompt, its initial value). */
  answer: (prompt: string, value: string) => string | undefined
  activeTextEditor: { readonly document: { readonly languageId: string; readonly fileName: string; readonly getText: () => string } } | undefined
  /** Cancels the next progress notification `cancelAfterMs` after it opens. */
  cancelAfterMs: number | undefined
  readonly api: Record<string, unknown>
}

export const makeVscodeStub = (): VscodeStub => {
  const stub: VscodeStub = {
    settings: new Map(),
    commands: new Map(),
    channels: new Map(),
    messages: [],
    answer: (_prompt, value) => value,
    activeTextEditor: undefined,
    cancelAfterMs: undefined,
    api: {}
  }
  const configListeners: Array<(e: { affectsConfiguration: (s: string) => boolean }) => void> = []
  const disposable = { dispose: () => {} }
  Object.assign(stub.api, {
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    workspace: {
      getConfiguration: (section: string) => ({ get: (key: string) => stub.settings.get(`${section}.${key}`) }),
      onDidChangeConfiguration: (listener: (e: { affectsConfiguration: (s: string) => boolean }) => void) => {
        configListeners.push(listener)
        return { dispose: () => configListeners.splice(configListeners.indexOf(listener), 1) }
      }
    },
    window: {
      get activeTextEditor() {
        return stub.activeTextEditor
      },
      createOutputChannel: (name: string) => {
        const lines: Array<string> = []
        stub.channels.set(name, lines)
        return { appendLine: (l: string) => lines.push(l), show: () => {}, dispose: () => {} }
      },
      showInputBox: (options: { prompt: string; value: string; validateInput: (v: string) => string | undefined }) =>
        Promise.resolve(stub.answer(options.prompt, options.value)),
      showErrorMessage: (m: string) => Promise.resolve(void stub.messages.push(`error: ${m}`)),
      showWarningMessage: (m: string) => Promise.resolve(void stub.messages.push(`warning: ${m}`)),
      withProgress: <R>(_options: unknown, task: (progress: { report: (v: unknown) => void }, token: { onCancellationRequested: (f: () => void) => unknown }) => Promise<R>) => {
        const cancelListeners: Array<() => void> = []
        const token = { onCancellationRequested: (f: () => void) => cancelListeners.push(f) }
        if (stub.cancelAfterMs !== undefined) setTimeout(() => cancelListeners.forEach((f) => f()), stub.cancelAfterMs)
        return task({ report: () => {} }, token)
      }
    },
    commands: {
      registerCommand: (id: string, f: (...args: ReadonlyArray<unknown>) => unknown) => {
        stub.commands.set(id, f)
        return disposable
      },
      executeCommand: (id: string, ...args: ReadonlyArray<unknown>) => Promise.resolve(stub.commands.get(id)?.(...args))
    },
    /** Fires a configuration change, as the settings editor does. */
    fireConfigurationChange: (section: string) => configListeners.forEach((l) => l({ affectsConfiguration: (s) => section.startsWith(s) }))
  })
  return stub
}
