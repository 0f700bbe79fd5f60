// `npm start`: the HTTP service (src/http/main.ts), bundled and cached by
// launch.mjs, run by plain Node.
import { launch } from "./launch.mjs"

await launch("src/http/main.ts", "server")
