/**
 * For sandbox institutions: how to bring about what the application asked of an execution
 * through the sandbox control API (`ctx.sandbox`). The rules live in the domain; a sandbox
 * connector, like any connector, only sees the SDK.
 */
export {
  DEFAULT_FAILING_PRODUCTS,
  planOutcome,
  outageEffect,
  type Outage,
  sandboxTime,
  type ClockAdvance,
  type AddedTransaction,
  type ForcedOutcome,
  type OutcomePlan,
  type SandboxInstructions,
  type TransactionEdit,
  transactionTypeOf,
} from '../../domain/sandbox-control.ts'
export { customOutcomeOf, type CustomSandboxUser } from '../../domain/sandbox-user-document.ts'
