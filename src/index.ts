/**
 * The package's public entry: start the engine in-process, write connectors, verify webhooks.
 * Connector authors can also import `tributary/sdk`, and test with `tributary/testing`.
 */
export { loadConfig, ConfigError, type Config } from './config.ts'
export { startTributary, type Tributary, type StartOptions } from './main.ts'
export { verifyWebhookSignature, SIGNATURE_HEADER } from './events/signature.ts'
export * from './connectors/sdk/index.ts'
