/**
 * An execution event as a stream entry: JSON, checked against the
 * runtime's Schema when read back (Redis is a boundary: whatever it holds
 * is validated before a reader sees it).
 */
import { Either, Schema } from "effect"
import { ExecutionEvent } from "../../runtime/ExecutionEvent.js"

const decode = Schema.decodeUnknownEither(Schema.parseJson(ExecutionEvent))

/** The entry's text of `e`. */
export const encodeEvent = (e: ExecutionEvent): string => JSON.stringify(e)

/** The event of an entry at `seq`, or undefined when the entry is not an event. */
export const decodeEvent = (text: string, seq: number): ExecutionEvent | undefined => {
  const decoded = decode(text)
  if (Either.isLeft(decoded)) return undefined
  return decoded.right.seq === seq ? decoded.right : { ...decoded.right, seq }
}

/** The fields of a stream entry (`[field, value, ...]`) as the value of `e`. */
export const entryText = (fields: ReadonlyArray<string>): string | undefined => {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === "e") return fields[i + 1]
  return undefined
}
