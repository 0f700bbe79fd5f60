/**
 * The client of the server a command talks to (`--server URL`), and the
 * option that names it, for the commands that only make sense remotely
 * (`attach`, `cancel`).
 */
import { Options } from "@effect/cli"
import { FetchHttpClient } from "@effect/platform"
import { Layer } from "effect"
import { ConstellationHttpClient } from "../client/ConstellationHttpClient.js"

/** The Effect client of the server at `baseUrl`, over `fetch`. */
export const clientLayer = (baseUrl: string): Layer.Layer<ConstellationHttpClient> =>
  ConstellationHttpClient.layer({ baseUrl }).pipe(Layer.provide(FetchHttpClient.layer))

/** `--server URL`, required, described as `description` (each command's own words). */
export const serverOption = (description: string) =>
  Options.text("server").pipe(Options.withPseudoName("URL"), Options.withDescription(description))
