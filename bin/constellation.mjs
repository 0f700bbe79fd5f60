#!/usr/bin/env node
// The `constellation` command. In the installed package it runs the built
// JavaScript (dist/cli/main.js). In a checkout it runs the sources,
// src/cli/main.ts, bundled and cached by scripts/launch.mjs, so it works
// without a build step and never runs a build older than the sources.
import { existsSync } from "node:fs"

if (existsSync(new URL("../src/cli/main.ts", import.meta.url))) {
  const { holdYoungGeneration, launch } = await import("../scripts/launch.mjs")
  // `serve`, as `npm start`: a small young generation until the server listens (scripts/launch.mjs).
  if (process.argv[2] === "serve") holdYoungGeneration()
  await launch("src/cli/main.ts", "cli")
} else {
  await import(new URL("../dist/cli/main.js", import.meta.url).href)
}
