/**
 * The rules that decide whether `PATCH /items/{id}` may start an execution (SPEC §2.3, §2.6).
 * Facts that need the stored credentials (whether a one-time code was used before, whether these
 * are the credentials the institution rejected) are worked out by the caller and passed in.
 */
import { isRunningStatus, type ItemStatus } from './statuses.ts'

/** Two LOGIN_ERRORs in a row with the same credentials block a retry with them for this long. */
export const LOGIN_FAILURE_COOL_DOWN_MS = 15 * 60 * 1000

export interface UpdateFacts {
  status: ItemStatus
  /** The request carries at least one credential value. */
  parametersGiven: boolean
  /** The connector's 1-step MFA fields (SPEC §2.3): they must be sent anew with every update. */
  oneStepMfaFields: readonly { name: string; label: string }[]
  /** Names of the fields the request gives a non-empty value for. */
  givenFields: ReadonlySet<string>
  /** The 1-step code given is the one the previous execution used. */
  mfaValueReused: boolean
  consecutiveFailedLoginAttempts: number
  lastLoginErrorAt: Date | null
  /** The credentials (after merging the given ones into the stored ones) are the ones last rejected. */
  sameAsRejectedCredentials: boolean
  now: Date
}

export type UpdateRefusalCode =
  | 'ITEM_ALREADY_UPDATING'
  | 'PARAMETERS_NOT_PROVIDED'
  | 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR'
  | 'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR'
  | 'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES'

export interface UpdateRefusal {
  code: UpdateRefusalCode
  message: string
  data?: Record<string, unknown>
}

/** Another execution started first (two updates raced): the loser's answer. */
export const ALREADY_UPDATING: UpdateRefusal = {
  code: 'ITEM_ALREADY_UPDATING',
  message: 'The item already has an execution in progress; wait for it to finish (or listen to its events) before updating again.',
}

/**
 * The guards that hold before the credentials are validated: an execution in progress, missing
 * parameters, a missing 1-step code. Null when the update may go on.
 */
export function refuseUpdateBeforeValidation(facts: Pick<UpdateFacts, 'status' | 'parametersGiven' | 'oneStepMfaFields' | 'givenFields'>): UpdateRefusal | null {
  if (isRunningStatus(facts.status)) return ALREADY_UPDATING
  if (facts.status === 'LOGIN_ERROR' && !facts.parametersGiven) {
    return { code: 'PARAMETERS_NOT_PROVIDED', message: 'The item is LOGIN_ERROR: send new credentials in `parameters` to update it.' }
  }
  for (const field of facts.oneStepMfaFields) {
    if (!facts.givenFields.has(field.name)) {
      return {
        code: 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR',
        message: `${field.label} (\`${field.name}\`) must be sent with every update of this item.`,
        data: { parameter: field.name },
      }
    }
  }
  return null
}

/** The guards that hold once the credentials passed the connector's rules. Null when the update may start. */
export function refuseUpdateAfterValidation(
  facts: Pick<UpdateFacts, 'oneStepMfaFields' | 'mfaValueReused' | 'consecutiveFailedLoginAttempts' | 'lastLoginErrorAt' | 'sameAsRejectedCredentials' | 'now'>,
): UpdateRefusal | null {
  if (facts.mfaValueReused && facts.oneStepMfaFields.length > 0) {
    return {
      code: 'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR',
      message: 'This one-time code was already used by the previous execution; send a new one.',
      data: { parameter: facts.oneStepMfaFields[0].name },
    }
  }
  const coolingDownUntil = loginCoolDownEnd(facts)
  if (coolingDownUntil && facts.sameAsRejectedCredentials) {
    const canRetryAfterDate = coolingDownUntil.toISOString()
    return {
      code: 'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES',
      message: `These credentials were rejected twice in a row; to protect the user from a lock-out, send different credentials or retry after ${canRetryAfterDate}.`,
      data: { canRetryAfterDate },
    }
  }
  return null
}

/**
 * Until when a retry with the rejected credentials is refused (SPEC §2.6): 15 minutes after the
 * second LOGIN_ERROR in a row; null when no cool-down runs.
 */
export function loginCoolDownEnd(facts: Pick<UpdateFacts, 'consecutiveFailedLoginAttempts' | 'lastLoginErrorAt' | 'now'>): Date | null {
  if (facts.consecutiveFailedLoginAttempts < 2 || !facts.lastLoginErrorAt) return null
  const end = facts.lastLoginErrorAt.getTime() + LOGIN_FAILURE_COOL_DOWN_MS
  return facts.now.getTime() < end ? new Date(end) : null
}
