// constellation-built.mjs (Module.make) read through engine.start + events() instead of runStreaming: a separate instance by its URL.
const m = await import("./constellation-built.mjs?via=start")
export default m.default
