/**
 * The dashboard's routes: `GET /` (the page), `GET /assets/app.js` and
 * `GET /assets/app.css` (its bundle). The bundle is built from `src/web/app`
 * by esbuild (or read from where the last build was kept) on the first
 * request and kept in memory for the life of the process, so `npm start`
 * serves it with no build step. A server nobody opens the dashboard of
 * does not hold it (about 2 MB at idle).
 *
 * Mount it with the other routes (`...(yield* Web.routes)`), or on its own
 * with `layer`.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Layer } from "effect"
import { loadOnce } from "../internal/loadOnce.js"
import * as WebBundle from "./bundle.js"
import { contentSecurityPolicy, indexHtml } from "./page.js"

/** The bundle once built: later requests are answered at once, in the same tick, like every other route. */
let built: WebBundle.WebBundle | undefined

/**
 * One bundle per process, built when first asked for (failures are kept
 * too: they need a code fix). A request that goes away while it is built
 * stops waiting; the build goes on for the next one.
 */
const bundle = loadOnce(Effect.tap(WebBundle.build, (b) => Effect.sync(() => void (built = b))))

const noCache = { "cache-control": "no-cache" }

const failed = (error: WebBundle.WebBundleError) =>
  Effect.as(
    Effect.logError(error.message),
    HttpServerResponse.text(`${error.message}\n`, { status: 500, headers: noCache })
  )

const asset = (pick: (b: WebBundle.WebBundle) => HttpServerResponse.HttpServerResponse) =>
  Effect.suspend(() =>
    built !== undefined
      ? Effect.succeed(pick(built))
      : bundle.pipe(Effect.map(pick), Effect.catchAll(failed))
  )

/**
 * The dashboard's paths. They need no API key: the page and its code hold
 * no data, and the page asks the user for a key when the API wants one.
 */
export const paths: ReadonlyArray<string> = ["/", "/assets/app.js", "/assets/app.css"]

/**
 * When the routes are mounted, builds the bundle in the background if that
 * needs esbuild (seconds), so the first visitor does not wait; a bundle
 * kept from the last run is read on the first request instead (a few ms).
 */
const warmUp = Effect.forkDaemon(Effect.ignore(Effect.whenEffect(bundle, WebBundle.needsBuild)))

/** The routes, to add to the service's `HttpLayerRouter`. */
export const routes = Effect.as(warmUp, [
  HttpLayerRouter.route("GET", "/", asset((b) =>
    HttpServerResponse.text(indexHtml(b.version), {
      contentType: "text/html; charset=utf-8",
      headers: { ...noCache, "content-security-policy": contentSecurityPolicy, "x-content-type-options": "nosniff" }
    }))),
  HttpLayerRouter.route("GET", "/assets/app.js", asset((b) =>
    HttpServerResponse.text(b.js, { contentType: "text/javascript; charset=utf-8", headers: noCache }))),
  HttpLayerRouter.route("GET", "/assets/app.css", asset((b) =>
    HttpServerResponse.text(b.css, { contentType: "text/css; charset=utf-8", headers: noCache })))
] as const)

/** The routes added to the `HttpLayerRouter` of the layers it is provided with. */
export const layer = Layer.scopedDiscard(Effect.gen(function*() {
  const router = yield* HttpLayerRouter.HttpRouter
  yield* router.addAll(yield* routes)
}))
