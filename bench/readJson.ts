/**
 * The JSON body of a Node request, read from its own events: how the
 * bare `node:http` servers of bench/http (the floor, the engine without
 * the platform) read a request, as cheaply as Node allows.
 */
import type { IncomingMessage } from "node:http"

export const readJson = (req: IncomingMessage): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")))
      } catch (e) {
        reject(e)
      }
    })
    req.on("error", reject)
  })
