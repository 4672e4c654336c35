import { defineConfig } from 'vitest/config'

const shared = {
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
}

export default defineConfig({
  test: {
    // Each integration file boots its own engine and embedded database; two at a time fits 2 cores.
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: 'engine',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/pluggy-app/test/**/*.test.ts'],
          exclude: ['test/distributed/**', '**/node_modules/**'],
        },
      },
      {
        test: {
          ...shared,
          name: 'distributed',
          include: ['test/distributed/**/*.test.ts'],
          // These files share the machine's PostgreSQL server, and one of them restarts it: run them
          // one at a time so a restart never lands in the middle of another file's processes.
          fileParallelism: false,
        },
      },
    ],
  },
})
