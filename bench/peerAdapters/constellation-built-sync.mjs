// constellation-built.mjs with Module.sync modules (plain functions, run inline): a separate instance by its URL.
const m = await import("./constellation-built.mjs?kind=sync")
export default m.default
