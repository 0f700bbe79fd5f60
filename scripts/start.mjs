// `npm start`: the HTTP service (src/http/server/main.ts), bundled and cached by
// launch.mjs, run by plain Node.
import { holdYoungGeneration, launch } from "./launch.mjs"

// Small young generation until the server listens (see launch.mjs and src/http/server/youngGeneration.ts).
holdYoungGeneration()
await launch("src/http/server/main.ts", "server")
