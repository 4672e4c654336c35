import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // my-bank.spec.ts only exports the suite; my-bank.test.ts runs it.
    include: ['test/**/*.test.ts'],
    // Each test file boots an engine with an embedded database (a few seconds).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
