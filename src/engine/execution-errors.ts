import type { UserAction } from '../connectors/sdk/index.ts'

/** Why a running execution stops without the connector deciding. */
export class ExecutionStopped extends Error {
  constructor(readonly reason: 'cancelled' | 'deadline' | 'lost' | 'shutdown') {
    super(`execution ${reason}`)
  }
}

/** A step could not be written (the database refused it or was away): the execution ends as ERROR. */
export class StepNotSaved extends Error {
  constructor(cause: unknown) {
    super('a step of the execution could not be saved', { cause })
  }
}

/** The MFA wait ended the execution (USER_INPUT_TIMEOUT was saved); unwinds the connector. */
export class MfaTimedOut extends Error {}

/** Thrown by `ctx.requestAuthorization`; the engine ends the execution as pending. */
export class AuthorizationRequested extends Error {
  constructor(readonly userAction: UserAction) {
    super('authorization requested')
  }
}

/** A run that took an execution over cannot go on from where it was (the connector asked the user again). */
export class CannotResume extends Error {}

/** The wait at the institution's page ended the execution (denied or expired, saved); unwinds the connector. */
export class UserAuthorizationEnded extends Error {}
