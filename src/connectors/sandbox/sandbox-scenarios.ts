/**
 * What a sandbox `user` credential asks for (SPEC §4): the outcome of the execution, or the data
 * of a successful one. The password is always `password-ok` and every MFA value `123456`.
 */
import {
  accountCredentialsReset,
  accountLocked,
  accountNeedsAction,
  alreadyLoggedIn,
  connectionError,
  siteNotAvailable,
  unexpectedError,
  userAuthorizationRevoked,
  userNotSupported,
} from '../sdk/index.ts'
import { MAX_TRANSACTION_MULTIPLIER } from './data/sandbox-user.ts'

export const SANDBOX_PASSWORD = 'password-ok'
export const SANDBOX_MFA_CODE = '123456'
/** The code a joint account's second holder confirms with (the reference's mock value). */
export const SANDBOX_JOINT_MFA_CODE = '000000'

/** The largest `k` of `user-auth-pending-<k>` taken literally; larger values are capped. */
export const MAX_AUTH_PENDING_EXECUTIONS = 1000

/** Institution words for `user-account-need-actions-provider-message`. */
export const SANDBOX_NEEDS_ACTION_PROVIDER_MESSAGE = 'Para continuar, acesse o app do Sandbox Bank e aceite os novos termos de uso da sua conta.'

/** What a sandbox `user` value asks for (SPEC §4). */
export type SandboxScenario =
  | { kind: 'ok'; transactionMultiplier: number }
  | { kind: 'account-warning' }
  | { kind: 'account-error' }
  | { kind: 'merge-error' }
  | { kind: 'fail'; error: () => Error }
  /** Device authorization only: the first `executions` executions end pending. */
  | { kind: 'auth-pending'; executions: number }
  /** Device authorization only: authorization is never granted. */
  | { kind: 'auth-denied' }
  | { kind: 'invalid' }

const FAILURES: Record<string, () => Error> = {
  'user-logged': () => alreadyLoggedIn(),
  'user-locked': () => accountLocked(),
  'user-error': () => unexpectedError(),
  'user-unavailable': () => siteNotAvailable(),
  'user-connection-error': () => connectionError(),
  'user-account-need-actions': () => accountNeedsAction(),
  'user-account-need-actions-provider-message': () => accountNeedsAction(SANDBOX_NEEDS_ACTION_PROVIDER_MESSAGE),
  'user-account-credentials-reset': () => accountCredentialsReset(),
  'user-not-supported': () => userNotSupported(),
  'user-auth-revoked': () => userAuthorizationRevoked(),
}

/**
 * The scenario a `user` value chooses. The device-authorization users (`user-auth-pending-<k>`,
 * `user-auth-denied`) exist only on institutions with device authorization (`appAuthorization`);
 * elsewhere, like any unknown user, they are `invalid`.
 */
export function parseSandboxUser(user: string, options: { appAuthorization?: boolean } = {}): SandboxScenario {
  switch (user) {
    case 'user-ok':
      return options.appAuthorization ? { kind: 'auth-pending', executions: 1 } : { kind: 'ok', transactionMultiplier: 1 }
    case 'user-ok-account-warning':
      return { kind: 'account-warning' }
    case 'user-ok-account-error':
      return { kind: 'account-error' }
    case 'user-merge-error':
      return { kind: 'merge-error' }
  }
  const failure = FAILURES[user]
  if (failure) return { kind: 'fail', error: failure }
  const perf = /^user-ok-perf-(\d{1,9})$/.exec(user)
  if (perf) return { kind: 'ok', transactionMultiplier: Math.min(Number(perf[1]), MAX_TRANSACTION_MULTIPLIER) }
  if (options.appAuthorization) {
    const pending = /^user-auth-pending-(\d{1,9})$/.exec(user)
    if (pending) return { kind: 'auth-pending', executions: Math.min(Number(pending[1]), MAX_AUTH_PENDING_EXECUTIONS) }
    if (user === 'user-auth-denied') return { kind: 'auth-denied' }
  }
  return { kind: 'invalid' }
}
