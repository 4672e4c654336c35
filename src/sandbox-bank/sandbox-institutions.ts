import { createSandboxConnectors } from '../connectors/sandbox/sandbox-connectors.ts'
import { createSandboxOpenFinanceConnector } from '../connectors/sandbox/sandbox-open-finance.ts'
import type { ConnectorDefinition } from '../connectors/sdk/index.ts'
import { SANDBOX_BANK_PATH } from './open-finance-bank-routes.ts'

/**
 * Every sandbox institution's connector: the banks of SPEC §4 and the reference's other flows, and
 * the Open Finance bank, which reaches its institution at this server's public address.
 */
export function sandboxConnectors(options: { delayMs: number; publicUrl: () => string }): ConnectorDefinition[] {
  return [...createSandboxConnectors({ delayMs: options.delayMs }), createSandboxOpenFinanceConnector({ delayMs: options.delayMs, institutionUrl: () => `${options.publicUrl()}${SANDBOX_BANK_PATH}` })]
}
