/**
 * What a sandbox institution does with the application's instructions for an execution
 * (`ctx.sandbox`, from the sandbox control API): it behaves as a real institution would — refuses
 * the login, fails a product, sends data that cannot be stored, asks a code it never accepts,
 * requests an authorization — and the lifecycle gives that behaviour its outcome as usual.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import {
  ConnectorError,
  customOutcomeOf,
  invalidCredentials,
  outageEffect,
  planOutcome,
  productFailed,
  type ConnectorContext,
  type ForcedOutcome,
  type MfaRequest,
  type OutcomePlan,
  type Product,
  type UserAction,
} from '../sdk/index.ts'

/** The institution's words when the password changed since the item's credentials were given. */
export const SANDBOX_PASSWORD_CHANGED_MESSAGE = 'A senha foi alterada. Entre com a nova senha para continuar.'

/** Compares the password given with a custom user's digest, in constant time. */
function passwordMatches(password: string, sha256: string): boolean {
  const given = createHash('sha256').update(password, 'utf8').digest()
  const expected = Buffer.from(sha256, 'hex')
  return expected.length === given.length && timingSafeEqual(given, expected)
}

/** The institution's words during an outage. */
export const SANDBOX_OUTAGE_MESSAGE = 'Serviço temporariamente indisponível. Tente novamente mais tarde.'

/** How much longer every step takes: an institution in a SLOW outage. */
export function outageDelayMs(ctx: ConnectorContext): number {
  const outage = ctx.sandbox?.outage
  if (!outage) return 0
  const effect = outageEffect(outage, ctx.item.executions)
  return effect.kind === 'slow' ? effect.delayMs : 0
}

/** What an instructed sandbox asks when it is told to let the MFA wait expire. */
const NEVER_ACCEPTED_CODE: MfaRequest = {
  name: 'token',
  label: 'Code sent by SMS',
  type: 'number',
  placeholder: '123456',
  assistiveText: 'The sandbox was told to let this code expire: whatever you send, it asks again.',
}

/**
 * The plan of this execution's outcome when the application chose it: forced through the control
 * API, or else the custom sandbox user's outcome for this execution.
 */
export function forcedPlan(ctx: ConnectorContext): OutcomePlan | null {
  const outcome = chosenOutcome(ctx)
  return outcome ? planOutcome(outcome) : null
}

function chosenOutcome(ctx: ConnectorContext): ForcedOutcome | null {
  if (ctx.sandbox?.outcome) return ctx.sandbox.outcome
  const custom = ctx.sandbox?.customUser
  return custom ? { executionStatus: customOutcomeOf(custom, ctx.item.executions), failingProducts: [], providerMessage: null } : null
}

/**
 * The login of an instructed execution: true when the instructions decided it (the caller skips its
 * own checks and scenario), false when the user's own scenario goes on. Throws what the
 * institution would, for a forced failure or a reset login.
 */
export async function instructedLogin(ctx: ConnectorContext, authorization: Omit<UserAction, 'expiresAt'>): Promise<boolean> {
  // An institution in an outage fails before anything else is looked at.
  const outage = ctx.sandbox?.outage ? outageEffect(ctx.sandbox.outage, ctx.item.executions) : null
  if (outage?.kind === 'refuse') throw new ConnectorError(outage.outcome, { providerMessage: SANDBOX_OUTAGE_MESSAGE, message: 'sandbox institution outage' })
  const custom = ctx.sandbox?.customUser
  if (!ctx.sandbox?.outcome && ctx.sandbox?.loginReset) throw invalidCredentials(SANDBOX_PASSWORD_CHANGED_MESSAGE)
  // A custom user has a password of its own (the QR login asks none).
  if (!ctx.sandbox?.outcome && custom && ctx.credentials.password !== undefined && !passwordMatches(ctx.credentials.password, custom.passwordSha256)) throw invalidCredentials()
  const plan = forcedPlan(ctx)
  if (!plan) return false
  const providerMessage = ctx.sandbox?.outcome?.providerMessage ?? undefined
  switch (plan.kind) {
    case 'collect':
    case 'fail-products':
    case 'conflicting-data':
      return true
    case 'refuse':
      throw new ConnectorError(plan.outcome, { providerMessage, message: 'forced through the sandbox control API' })
    case 'request-authorization':
      return ctx.requestAuthorization({ ...authorization, expiresAt: null })
    case 'ask-until-timeout':
      // Every answer gets a new challenge; only the expiry ends the wait.
      for (;;) await ctx.askUser(NEVER_ACCEPTED_CODE)
    default: {
      const unreachable: never = plan
      throw new Error(`unknown plan ${JSON.stringify(unreachable)}`)
    }
  }
}

/** Throws the product's failure when the forced outcome fails it. */
export function failIfForced(ctx: ConnectorContext, product: Product): void {
  const plan = forcedPlan(ctx)
  if (plan?.kind !== 'fail-products' || !plan.products.includes(product)) return
  const providerMessage = ctx.sandbox?.outcome?.providerMessage ?? 'Não foi possível carregar estes dados no momento.'
  throw productFailed(`The institution did not return ${product.toLowerCase().replaceAll('_', ' ')} (forced through the sandbox control API).`, providerMessage)
}

/** Whether the institution is to send an account twice under one id (a forced MERGE_ERROR). */
export function sendsConflictingData(ctx: ConnectorContext): boolean {
  return forcedPlan(ctx)?.kind === 'conflicting-data'
}
