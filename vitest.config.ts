import { defineConfig } from 'vitest/config'

const shared = {
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
}

export default defineConfig({
  test: {
    // Each integration file boots its own engine and embedded database. Three at a time on 2 cores:
    // files wait on sockets, processes and timers, and two kept about 1.3 cores busy (npm test:
    // 332 s with two, 257 s with three, 243 s with four, in one sitting).
    maxWorkers: 3,
    // `npm run coverage` (vitest run --coverage): V8's own counters, over every source file (a file
    // no test loads counts as 0%). The browser code of the Connect page and the dashboard runs in
    // Chromium, where it is not collected: it is left out rather than reported as 0%, except the
    // Connect page's pure flow, which tests run in Node. See docs/coverage.md.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/*-test-support.ts', 'src/**/*.d.ts', 'src/connect/app/*.ts', 'src/connect/app/hosts/**', 'src/connect/app/screens/**', 'src/dashboard/app/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
    },
    projects: [
      {
        test: {
          ...shared,
          name: 'engine',
          // A worker's files share its modules, imported once (about 100 s of imports summed over
          // the files when each imported the engine anew), and its idle embedded databases
          // (src/testing/embedded-pool.ts). What a file changes in a module or in the process it
          // puts back; the engines a file starts, it stops.
          isolate: false,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/pluggy-app/test/**/*.test.ts'],
          exclude: ['test/distributed/**', '**/node_modules/**'],
        },
      },
      {
        test: {
          ...shared,
          name: 'distributed',
          // One file whose suites (test/distributed/*.suite.ts) share the machine's PostgreSQL
          // server and run one after another: one of them restarts the server.
          include: ['test/distributed/distributed.test.ts'],
        },
      },
    ],
  },
})
