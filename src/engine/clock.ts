/** Moved to src/time/clock.ts; kept while the HTTP layer's imports move over. */
export * from '../time/clock.ts'
