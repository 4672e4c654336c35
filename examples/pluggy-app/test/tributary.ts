/**
 * `tributary/testing`, imported in one place. Inside the Tributary repository it comes from the
 * engine's source; in your application replace the line below with
 *   export * from 'tributary/testing'
 */
export * from '../../../src/testing/index.ts'
