// `npm start`: the HTTP service (src/http/server/main.ts), bundled and cached by
// launch.mjs, run by plain Node.
import v8 from "node:v8"
import { launch } from "./launch.mjs"

// The young generation keeps its initial size until the server listens (main.ts then
// restores V8's growth): what startup allocates lives on, and semi-spaces grown for it
// would stay 16 MB at idle (src/http/server/youngGeneration.ts). A factor given to Node wins.
if (![...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((a) => /semi[-_]space[-_]growth[-_]factor/.test(a))) {
  v8.setFlagsFromString("--semi-space-growth-factor=1")
}
await launch("src/http/server/main.ts", "server")
