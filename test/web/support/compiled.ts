/**
 * What `POST /compile` answers for a source, from the service's routes
 * in-process.
 */
import { Schema } from "effect"
import { CompileResponse } from "../../../src/protocol/api.js"
import { makeApp } from "../../http/support/server.js"

const decode = Schema.decodeUnknownPromise(CompileResponse)

export const compiled = async (source: string): Promise<CompileResponse> => {
  const app = makeApp()
  try {
    const response = await app.fetch("/compile", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ source })
    })
    if (!response.ok) throw new Error(`compile failed: ${await response.text()}`)
    return await decode(await response.json())
  } finally {
    await app.dispose()
  }
}
