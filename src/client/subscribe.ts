/**
 * Callbacks over an event stream, for code that prefers them to a
 * `for await` loop.
 *
 * @since 0.1.0
 */
import type { BatchResponse } from "../protocol/api.js"
import {
  Aborted,
  ConnectFailed,
  ExecutionFailed,
  OutputFailed,
  ProtocolError,
  RequestRejected,
  StreamInterrupted
} from "./ClientError.js"
import type { ClientError } from "./ClientError.js"
import { makeResultCollector } from "./ResultCollector.js"
import { isExecutionError, isFinal } from "./StreamEvent.js"
import type { OutputData, ProgressData, StreamEvent } from "./StreamEvent.js"

/**
 * What to call as events arrive. Every handler is optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamHandlers {
  /** A value is ready (`output` and `complete` events), in completion order. */
  readonly onOutput?: (output: OutputData) => void
  /**
   * Something failed: one output (`OutputFailed`, the others continue), the
   * whole execution (`ExecutionFailed`), or the request itself (a
   * `ClientError`, after which nothing more arrives).
   */
  readonly onError?: (error: OutputFailed | ExecutionFailed | ClientError) => void
  /** Modules finished of all modules; asks the server for progress events. */
  readonly onProgress?: (progress: ProgressData) => void
  /** The final event arrived: every output's value or error, and the time since the request began. */
  readonly onComplete?: (result: BatchResponse) => void
  /** Every event, module events included. */
  readonly onEvent?: (event: StreamEvent) => void
}

const clientErrors = [RequestRejected, ConnectFailed, StreamInterrupted, ProtocolError, Aborted] as const

/**
 * Whether a thrown value is one of the client's errors.
 *
 * @since 0.1.0
 * @category guards
 */
export const isClientError = (u: unknown): u is ClientError => clientErrors.some((c) => u instanceof c)

/**
 * Drives `events` to its end, calling `handlers` on the way. Resolves after
 * the final event. A `ClientError` goes to `onError` and the promise
 * resolves; without an `onError` handler it rejects the promise instead, so
 * no failure passes unnoticed. A handler that throws stops the stream
 * (closing the connection) and rejects the promise with what it threw.
 *
 * @since 0.1.0
 * @category callbacks
 */
export const subscribe = async (events: AsyncIterable<StreamEvent>, handlers: StreamHandlers): Promise<void> => {
  const started = Date.now()
  const collector = makeResultCollector()
  const iterator = events[Symbol.asyncIterator]()
  while (true) {
    let step: IteratorResult<StreamEvent, unknown>
    try {
      step = await iterator.next()
    } catch (error) {
      if (handlers.onError === undefined || !isClientError(error)) throw error
      handlers.onError(error)
      return
    }
    if (step.done === true) return
    try {
      dispatch(step.value, handlers)
      collector.add(step.value)
      if (isFinal(step.value)) handlers.onComplete?.(collector.result(Date.now() - started))
    } catch (error) {
      await iterator.return?.()
      throw error
    }
  }
}

const dispatch = (e: StreamEvent, handlers: StreamHandlers): void => {
  handlers.onEvent?.(e)
  switch (e.event) {
    case "output":
    case "complete":
      return handlers.onOutput?.(e.data)
    case "error": {
      const data = e.data
      return handlers.onError?.(
        isExecutionError(data)
          ? new ExecutionFailed({ executionId: data.executionId, error: data.error, missing: data.missing })
          : new OutputFailed({ executionId: data.executionId, name: data.name, error: data.error })
      )
    }
    case "progress":
      return handlers.onProgress?.(e.data)
    default:
      return
  }
}
