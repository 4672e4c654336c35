/**
 * The connector SDK, imported in one place. Inside the Tributary repository it comes from the
 * engine's source; in a copy of this template replace the line below with
 *   export * from 'tributary/sdk'
 */
export * from '../../../src/connectors/sdk/index.ts'
