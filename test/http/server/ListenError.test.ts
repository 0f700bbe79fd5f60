/**
 * The one line a server that cannot listen prints, for each way listening fails.
 */
import { ServeError } from "@effect/platform/HttpServerError"
import { describe, expect, it } from "vitest"
import { explain, fromServeError } from "../../../src/http/server/ListenError.js"

/** The one line for a listen failure with Node's `code`, as `npm start` prints it. */
const line = (code: string | undefined, address = { host: "127.0.0.1", port: 8080 }): string => {
  const cause = Object.assign(new Error(`listen ${code ?? "EWHATEVER"}: something`), code === undefined ? {} : { code })
  return explain(fromServeError(new ServeError({ cause }), address))
}

describe("ListenError", () => {
  it("a port in use", () => expect(line("EADDRINUSE")).toBe("port 8080 on 127.0.0.1 is in use; set PORT"))
  it("a privileged port", () =>
    expect(line("EACCES", { host: "0.0.0.0", port: 80 })).toBe("port 80 on 0.0.0.0 needs privileges (ports below 1024 do); set PORT"))
  it("another refusal", () => expect(line("EACCES")).toBe("no permission to listen on port 8080 on 127.0.0.1; set PORT"))
  it("an address not on this machine", () =>
    expect(line("EADDRNOTAVAIL", { host: "10.9.9.9", port: 8080 })).toBe("10.9.9.9 is not an address of this machine; set HOST"))
  it("a host name that does not resolve", () =>
    expect(line("ENOTFOUND", { host: "nope.invalid", port: 8080 })).toBe("the host name nope.invalid cannot be resolved; set HOST"))
  it("anything else, in the system's words", () =>
    expect(line(undefined)).toBe("cannot listen on 127.0.0.1 port 8080: listen EWHATEVER: something"))
  it("is the error's message", () =>
    expect(fromServeError(new ServeError({ cause: { code: "EADDRINUSE" } }), { host: "h", port: 1 }).message).toBe("port 1 on h is in use; set PORT"))
  it("names the flags for constellation serve", () =>
    expect(explain(fromServeError(new ServeError({ cause: { code: "EADDRINUSE" } }), { host: "h", port: 1 }), { host: "--host", port: "pass --port" }))
      .toBe("port 1 on h is in use; pass --port"))
})
