import { configDefaults, defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: "main", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, "test/package/**"] } },
      {
        extends: true,
        // The packed package installed and run (npm, tsc, child processes): after the rest, so its
        // load does not land on the timing-sensitive tests of a 2-core machine.
        test: { name: "package", include: ["test/package/**/*.test.ts"], sequence: { groupOrder: 1 } }
      }
    ]
  }
})
