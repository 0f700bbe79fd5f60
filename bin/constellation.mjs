#!/usr/bin/env node
// The `constellation` command, runnable from the repository without a build
// step (`npx constellation ...`): src/cli/main.ts, bundled and cached by
// scripts/launch.mjs.
import { launch } from "../scripts/launch.mjs"

await launch("src/cli/main.ts", "cli")
