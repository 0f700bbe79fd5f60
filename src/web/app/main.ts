/**
 * The dashboard's entry point: builds the page and wires its parts. The
 * source compiles as it is typed; Run streams the pipeline's events into
 * the run state, which the outputs, the graph, the timeline and the
 * progress bar show as they change. A streamed run's execution id goes
 * into the page's URL: opening that URL (a reload, a second tab) attaches
 * to the same run, showing what arrived and the rest as it comes.
 */
import type { CompileResponse } from "../../client/index.js"
import { fetchExamples, makeClient } from "./api.js"
import { makeApiKey } from "./ApiKey.js"
import { makeCompileLoop } from "./CompileLoop.js"
import type { CompileOutcome } from "./CompileLoop.js"
import { makeComparison } from "./Comparison.js"
import { bindKeys, makeControls } from "./Controls.js"
import { makeDagView, makeLegend } from "./DagView.js"
import { COMPILE_STATUS_ID, makeDiagnosticsList } from "./DiagnosticsList.js"
import { attachLanguageFeatures } from "./CompletionPopup.js"
import { makeEditor } from "./Editor.js"
import { makeLanguageClient } from "./LanguageClient.js"
import { shownDiagnostics } from "./shownDiagnostics.js"
import type { Published } from "./shownDiagnostics.js"
import { executionInUrl, recallRun, rememberRun, showExecutionInUrl } from "./executionUrl.js"
import { makeExamplePicker } from "./ExamplePicker.js"
import { pipelineGraph } from "./graph.js"
import { makeInputsForm } from "./InputsForm.js"
import { makeOutputsPanel } from "./OutputsPanel.js"
import { makePage } from "./Page.js"
import { makeRunner } from "./Runner.js"
import type { RunRequest } from "./Runner.js"
import type { RunMode, RunState } from "./runState.js"
import { makeRunStatus } from "./RunStatus.js"
import { makeTimeline } from "./Timeline.js"

// ------------------------------------------------------------ the parts

const apiKey = makeApiKey()
const client = makeClient(apiKey.headers)
const runner = makeRunner(client)
const compileLoop = makeCompileLoop(client, onCompiled)
const actions = { stream: () => startRun("stream"), batch: () => startRun("batch"), cancel: () => runner.cancel() }

const editor = makeEditor({ label: "Pipeline source (constellation-lang)", describedBy: COMPILE_STATUS_ID })
const diagnostics = makeDiagnosticsList((line, column) => editor.focusAt(line, column))
// Completion, the caret's hover and the diagnostics come from the language server at GET /lsp; the compile loop
// gives the graph, the inputs and whether the pipeline can run, and its diagnostics while /lsp is down.
const languageClient = makeLanguageClient(apiKey.headers)
const languageFeatures = attachLanguageFeatures(editor.textarea, editor.element.querySelector(".editor-code") ?? editor.element, languageClient)
const picker = makeExamplePicker((example) => {
  editor.setValue(example.source)
  compileLoop.now(example.source)
})
const inputs = makeInputsForm()
const controls = makeControls(actions)
const status = makeRunStatus()
const outputs = makeOutputsPanel()
const dag = makeDagView()
const timeline = makeTimeline()
const comparison = makeComparison({ run: startRun })

const page = makePage({
  apiKey: apiKey.element,
  examples: picker.element,
  editor: editor.element,
  diagnostics: diagnostics.element,
  inputs: inputs.element,
  controls: controls.element,
  status: status.element,
  outputs: outputs.element,
  dag: dag.element,
  legend: makeLegend(),
  timeline: timeline.element,
  comparison: comparison.element
})

editor.element.after(languageFeatures.hoverLine)

// ------------------------------------------------------------ the state

/** The last source that compiled. */
let compiled: { readonly source: string; readonly response: CompileResponse } | undefined
/** The ref of the pipeline the graph shows. */
let shownRef: string | undefined
/** The current (or last) run: its pipeline's ref, and a key of its source and inputs for the comparison. */
let run: { readonly key: string; readonly ref: string } | undefined
/** The last streaming run of the pipeline shown: the timeline keeps it during a batch run. */
let lastStream: RunState | undefined
/** The run state waiting for the next frame. */
let pending: { readonly state: RunState | undefined; readonly elapsedMs: number } | undefined
/** What the current run ran, to remember with its execution id. */
let request: RunRequest | undefined
/** An execution to attach to once its pipeline (from this browser's memory) has compiled. */
let attaching: ({ readonly executionId: string } & RunRequest) | undefined
/** The compile loop's last outcome. */
let outcome: CompileOutcome | undefined
/** The language server's last diagnostics (undefined while it is down). */
let published: Published | undefined
/** The run state drawn last. */
let drawn: { readonly state: RunState | undefined; readonly elapsedMs: number } = { state: undefined, elapsedMs: 0 }

// ------------------------------------------------------------ behaviour

function startRun(mode: RunMode): void {
  if (compiled === undefined || compiled.source !== editor.value()) return
  const values = inputs.read()
  if (values === undefined) return
  const { source, response } = compiled
  run = { key: `${source}\u0000${JSON.stringify(values)}`, ref: response.ref }
  comparison.show(run.key)
  request = { source, inputs: values }
  attaching = undefined
  // A batch answer cannot be followed again: only a streamed run names its execution in the URL.
  if (mode === "batch") showExecutionInUrl(undefined)
  runner.start(mode, request, shapeOf(response))
}

const shapeOf = (response: CompileResponse) => ({
  modules: response.modules.map((m) => ({ node: m.node, module: m.module })),
  outputs: response.dag.outputs.map((b) => b.name)
})

/** Follows the execution the URL names: with its pipeline when this browser ran it, else its outputs alone. */
async function reattach(executionId: string): Promise<void> {
  const recalled = recallRun(executionId)
  if (recalled !== undefined) {
    attaching = { executionId, ...recalled }
    editor.setValue(recalled.source)
    compileLoop.now(recalled.source)
  } else {
    const outputs = await client.state(executionId).then((s) => Object.keys(s.outputStatus), () => [])
    request = undefined
    runner.attach(executionId, { modules: [], outputs })
  }
  picker.setExamples(await fetchExamples(apiKey.headers()))
}

function refreshControls(): void {
  const canRun = compiled !== undefined && compiled.source === editor.value()
  controls.setState({ canRun, running: runner.isRunning() })
  comparison.setCanRun(canRun)
}

/** Whether the run the page shows was of another pipeline than the one the editor holds. */
const runIsOfAnotherPipeline = (): boolean => run !== undefined && run.ref !== shownRef

/**
 * Draws a run. Once the editor holds another pipeline than the one that
 * ran, its outputs stay, marked stale, while the graph and the timeline
 * (which picture the pipeline shown) leave it out.
 */
function showRun(state: RunState | undefined, elapsedMs: number): void {
  drawn = { state, elapsedMs }
  const current = !runIsOfAnotherPipeline()
  status.update(state, elapsedMs)
  outputs.update(state)
  outputs.setStale(!current)
  if (current && state?.mode === "stream") lastStream = state
  timeline.update(current ? (state?.mode === "batch" ? lastStream ?? state : state) : undefined, elapsedMs)
  dag.update(current ? state : undefined)
  refreshControls()
}

/** The diagnostics of the source in the editor: the language server's, else the compile loop's. */
function showDiagnostics(): void {
  const shown = shownDiagnostics(editor.value(), published, outcome)
  if (shown.diagnostics !== undefined) editor.setDiagnostics(shown.diagnostics)
  diagnostics.show(shown.status, shown.from)
}

function onCompiled(latest: CompileOutcome): void {
  if (latest.source !== editor.value()) return
  outcome = latest
  showDiagnostics()
  if (outcome._tag === "Compiled") {
    const response = outcome.compiled
    compiled = { source: outcome.source, response }
    const given = attaching?.source === outcome.source ? attaching.inputs : {}
    inputs.update(response, new Map(Object.entries({ ...response.examples, ...given })))
    if (response.ref !== shownRef) {
      shownRef = response.ref
      lastStream = undefined
      const graph = pipelineGraph(response)
      dag.setGraph(graph)
      timeline.setGraph(graph)
      showRun(drawn.state, drawn.elapsedMs)
    }
    if (attaching !== undefined && attaching.source === outcome.source) {
      const { executionId, ...ran } = attaching
      attaching = undefined
      request = ran
      run = { key: `${ran.source}\u0000${JSON.stringify(ran.inputs)}`, ref: response.ref }
      runner.attach(executionId, shapeOf(response))
    }
  } else if (outcome._tag === "Unavailable" && outcome.keyProblem !== undefined) {
    apiKey.ask(outcome.keyProblem)
  }
  page.dataset["stale"] = String(outcome._tag !== "Compiled" && compiled !== undefined)
  refreshControls()
}

// ------------------------------------------------------------ wiring

// Draws at most once per frame, however many events arrive in it; the run state itself is current at once.
runner.onChange((state, elapsedMs) => {
  if (pending === undefined) {
    requestAnimationFrame(() => {
      if (pending !== undefined) showRun(pending.state, pending.elapsedMs)
      pending = undefined
    })
  }
  pending = { state, elapsedMs }
  const executionId = state?.mode === "stream" ? state.executionId : undefined
  if (executionId !== undefined && executionInUrl() !== executionId) {
    showExecutionInUrl(executionId)
    if (request !== undefined) rememberRun(executionId, request)
  }
})
runner.onFinish((state) => {
  if (run === undefined) return
  comparison.record(run.key, state)
  comparison.show(run.key)
})
editor.onChange((source) => {
  languageClient.update(source)
  showDiagnostics()
  refreshControls()
  compileLoop.schedule(source)
})
editor.textarea.addEventListener("input", () => picker.setChosen(undefined))
bindKeys(actions)
languageClient.onDiagnostics((found, text) => {
  published = { text, diagnostics: found }
  if (text === editor.value()) showDiagnostics()
})
languageClient.onLive((live) => {
  if (live) return
  // Back to the compile loop's diagnostics until the socket opens again.
  published = undefined
  showDiagnostics()
})
apiKey.onSaved(() => {
  languageClient.reconnect()
  if (editor.value() === "") void loadExamples()
  else compileLoop.now(editor.value())
})

document.body.replaceChildren(page)
dag.setGraph(undefined)
/** Lists the examples and opens the fan-out one (the case streaming exists for). */
async function loadExamples(): Promise<void> {
  const examples = await fetchExamples(apiKey.headers())
  picker.setExamples(examples)
  const first = examples.find((e) => e.name === "fan-out") ?? examples[0]
  if (first === undefined) {
    // No examples: a server that wants a key says so on the first compile.
    if (editor.value() === "") compileLoop.now("")
    return
  }
  if (editor.value() !== "") return
  picker.setChosen(first.name)
  editor.setValue(first.source)
  compileLoop.now(first.source)
}
const named = executionInUrl()
if (named === undefined) void loadExamples()
else void reattach(named)
