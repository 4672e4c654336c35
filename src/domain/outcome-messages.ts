import type { ErrorOutcome } from './statuses.ts'

/** Human sentences for error outcomes, used when the connector gives none. */
export const OUTCOME_MESSAGES: Record<ErrorOutcome, string> = {
  ERROR: 'An unexpected error happened while syncing with the institution. Try again later.',
  MERGE_ERROR: 'The data was collected but could not be stored. The previous data is kept; try again later.',
  SITE_NOT_AVAILABLE: 'The institution is unavailable or in maintenance. Try again later.',
  CONNECTION_ERROR: 'Could not connect to the institution. Try again later.',
  ALREADY_LOGGED_IN: 'Another session is open at the institution. Close it and try again.',
  ACCOUNT_NEEDS_ACTION: 'The institution asks the user to do something in their account (for example accept new terms).',
  USER_INPUT_TIMEOUT: 'The verification code did not arrive in time. Start a new sync to get a new code.',
  USER_AUTHORIZATION_PENDING: 'The user must authorize the access in the institution’s app; the sync resumes by itself.',
  USER_AUTHORIZATION_NOT_GRANTED: 'The user did not authorize the access in time. Start a new sync to ask again.',
  INVALID_CREDENTIALS: 'The institution rejected the credentials. Ask the user to check and send them again.',
  INVALID_CREDENTIALS_MFA: 'The verification code was wrong or expired. Ask the user for new credentials and a new code.',
  ACCOUNT_LOCKED: 'The institution locked the account. The user must contact the institution to unlock it.',
  ACCOUNT_CREDENTIALS_RESET: 'The institution asks the user to reset their credentials before connecting again.',
  USER_NOT_SUPPORTED: 'This kind of account is not supported by the connector.',
  USER_AUTHORIZATION_REVOKED: 'The user revoked the consent at the institution. Ask the user to connect again.',
}

/** Sentences for the ways an authorization at the institution's page ends without a grant. */
export const USER_ACTION_MESSAGES = {
  denied: 'The user declined the authorization at the institution. Start a new sync to ask again.',
  expired: 'The user did not finish the authorization at the institution in time. Start a new sync to ask again.',
} as const
