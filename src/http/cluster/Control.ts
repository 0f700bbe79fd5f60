/**
 * The control channel: messages from any instance to the one running an
 * execution, on that instance's Redis pub/sub channel. `cancel` stops it;
 * `hold` (repeated while a reader on the sender follows it) keeps its lease
 * from running, `release` lets it run again. Messages are checked against
 * their Schema on arrival; anything else is ignored.
 */
import { Either, Schema } from "effect"
import type { Redis } from "ioredis"
import { ErrorInfo } from "../../runtime/ExecutionEvent.js"

export const ControlMessage = Schema.Union(
  Schema.Struct({ type: Schema.Literal("cancel"), executionId: Schema.String, error: ErrorInfo }),
  Schema.Struct({ type: Schema.Literal("hold", "release"), executionId: Schema.String, from: Schema.String })
)
export type ControlMessage = typeof ControlMessage.Type

const decode = Schema.decodeUnknownEither(Schema.parseJson(ControlMessage))

/** Sends `message` to `instanceId`; answers how many instances received it (0: nobody listens there). */
export const send = (command: Redis, channel: string, message: ControlMessage): Promise<number> =>
  command.publish(channel, JSON.stringify(message))

/** Calls `handle` with every valid message arriving on `channel`. */
export const listen = (subscriber: Redis, channel: string, handle: (message: ControlMessage) => void): Promise<void> => {
  subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return
    const decoded = decode(text)
    if (Either.isRight(decoded)) handle(decoded.right)
  })
  return subscriber.subscribe(channel).then(() => undefined)
}
