import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The audio tests start WASM workers; two forks match the 2-core machines CI runs on.
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default", "./tests/summary-reporter.ts"],
  },
});
