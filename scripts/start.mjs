// `npm start`: the HTTP service (src/http/server/main.ts), bundled and cached by
// launch.mjs, run by plain Node.
import { launch } from "./launch.mjs"

await launch("src/http/server/main.ts", "server")
