import type pino from 'pino'
import type { ConnectorContext, ConnectorDefinition, ConsentReport, MfaRequest, SandboxInstructions, UserAuthorizationRequest, UserAuthorizationResult } from '../connectors/sdk/index.ts'
import type { Cipher } from '../store/cipher.ts'
import type { Clock } from '../time/clock.ts'
import { AuthorizationRequested } from './execution-errors.ts'
import type { ExecutionProgress } from './execution-progress.ts'

/**
 * What a connector gets for one execution: its credentials (decrypted for this execution only),
 * the engine's clock, a logger that carries the execution's ids, and the ways to ask the user.
 */
export function connectorContext(deps: {
  connector: ConnectorDefinition
  progress: ExecutionProgress
  signal: AbortSignal
  clock: Clock
  cipher: Cipher
  log: pino.Logger
  askUser: (request: MfaRequest) => Promise<string>
  requestUserAuthorization: (request: UserAuthorizationRequest) => Promise<UserAuthorizationResult>
  /** Saves the item's secrets, encrypted (null erases them). */
  saveSecrets: (secretsEnc: string | null) => Promise<void>
  saveConsent: (consent: ConsentReport) => Promise<void>
  /** A sandbox institution's instructions from the sandbox control API, if any. */
  sandbox?: SandboxInstructions | null
}): ConnectorContext {
  const { progress, signal, clock } = deps
  const { item, execution } = progress
  const credentials = Object.freeze(JSON.parse(deps.cipher.decrypt(item.credentialsEnc)) as Record<string, string>)
  const log = deps.log.child({ connector: deps.connector.name })
  // Decrypted for this execution only, like the credentials; kept in step with what `set` saves.
  let secrets: Readonly<Record<string, string>> | null = item.secretsEnc ? Object.freeze(JSON.parse(deps.cipher.decrypt(item.secretsEnc)) as Record<string, string>) : null
  return {
    credentials,
    products: execution.products,
    signal,
    log: {
      info: (message, fields) => log.info(fields ?? {}, message),
      warn: (message, fields) => log.warn(fields ?? {}, message),
      error: (message, fields) => log.error(fields ?? {}, message),
    },
    item: { id: item.id, executions: item.executionsStarted, recentExecutionStarts: item.recentExecutionStarts },
    deviceTrusted: item.deviceTrusted,
    authorization: item.authPendingSince ? { pendingSince: item.authPendingSince, pendingExecutions: item.authPendingExecutions } : null,
    resume: progress.resume,
    ...(deps.connector.isSandbox ? { sandbox: deps.sandbox ?? null } : {}),
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms, signal),
    askUser: deps.askUser,
    requestUserAuthorization: deps.requestUserAuthorization,
    secrets: {
      get: () => secrets,
      set: async (next) => {
        await deps.saveSecrets(next === null ? null : deps.cipher.encrypt(JSON.stringify(next)))
        secrets = next === null ? null : Object.freeze({ ...next })
      },
    },
    reportConsent: deps.saveConsent,
    requestAuthorization: (userAction) => {
      throw new AuthorizationRequested(userAction)
    },
    warn: (product, warning) => {
      ;(progress.warnings[product] ??= []).push({ code: warning.code, message: warning.message, ...(warning.providerMessage ? { providerMessage: warning.providerMessage } : {}) })
    },
  }
}
