import { readFileSync } from 'node:fs'
import path from 'node:path'
import { FRAME_ANCESTOR_EXAMPLES, isFrameAncestor } from './connect/frame-ancestors.ts'
import type { CustomSandboxUser } from './domain/sandbox-user-document.ts'
import { parseSandboxUsersFile } from './services/sandbox-user-schema.ts'

export const ROLES = ['all', 'api', 'worker'] as const
export type Role = (typeof ROLES)[number]

export interface Config {
  port: number
  /** PORT was given: a worker process then serves /health and /ready on it (SPEC §4a.14). */
  portGiven: boolean
  host: string
  databaseUrl: string | null
  /** Statements are prepared once per connection (PostgreSQL only); off behind a pooler that cannot keep them. */
  preparedStatements: boolean
  /** Embedded database and generated secrets; `:memory:` keeps everything in memory (tests). */
  dataDir: string
  /** A new embedded database starts from the migrated snapshot instead of running every migration. */
  embeddedSnapshot: boolean
  role: Role
  clientId: string | null
  clientSecret: string | null
  extraClients: { clientId: string; clientSecret: string }[]
  /** 32-byte key for credentials at rest; generated into the data dir when unset in embedded mode. */
  encryptionKey: Buffer | null
  /** Older keys that may still decrypt (during a rotation); never used to encrypt. */
  previousEncryptionKeys: Buffer[]
  jwtSecret: string | null
  mfaTimeoutSeconds: number
  /** Open Finance: how long the user has at the institution's authorization page. */
  userActionTimeoutSeconds: number
  /** Open Finance: `item/consent_expiring` is sent this many days before a consent expires. */
  consentExpiryWarningDays: number
  /** The address users' browsers reach this server at (institutions send them back to `<publicUrl>/oauth/callback`); null → http://localhost:<port>. */
  publicUrl: string | null
  autoSyncIntervalSeconds: number
  connectorHealthIntervalSeconds: number
  authPendingRetrySeconds: number
  authPendingDeadlineSeconds: number
  executionDeadlineSeconds: number
  /** A worker that stops heart-beating for this long has its executions taken over by another. */
  workerLeaseSeconds: number
  /** How many workers may take an execution on (its first run included) before it ends as ERROR. */
  executionMaxAttempts: number
  /** How long the engine's writes wait for a database that cannot be reached before an execution fails. */
  databaseOutageSeconds: number
  workerConcurrency: number
  /** At most this many executions run at once on one connector, across all workers. */
  connectorConcurrency: number
  /** On SIGTERM, how long running executions may go on before they are ended as ERROR. */
  shutdownGraceSeconds: number
  /** How often a waiting execution re-reads the database when no wake-up arrives. */
  pollIntervalMs: number
  sandboxDelayMs: number
  /** The sandbox control API (/sandbox/...): on by default, off when NODE_ENV=production unless enabled. */
  sandboxControl: boolean
  /** Custom sandbox users every client may log in as (TRIBUTARY_SANDBOX_USERS_FILE). */
  sandboxUsers: CustomSandboxUser[]
  connectorModules: string[]
  webhookRetryBaseSeconds: number
  webhookMaxAttempts: number
  webhookAllowPrivate: boolean
  /** Requests per minute: POST /auth per client and IP, PATCH /items/{id} per item and IP, POST /items per client. */
  authRateLimit: number
  itemUpdateRateLimit: number
  itemCreateRateLimit: number
  /** Origins allowed to frame the Connect page, besides the server's own (CSP frame-ancestors). */
  connectFrameAncestors: string[]
  /** The developer dashboard at /dashboard: on by default outside production, off in production unless TRIBUTARY_DASHBOARD=true. */
  dashboard: boolean
  logLevel: string
  nodeEnv: string
}

/** A configuration value that stops the start; the message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

function integer(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`)
  const value = Number(raw)
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`)
  return value
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '') return fallback
  if (['true', '1', 'yes'].includes(raw)) return true
  if (['false', '0', 'no'].includes(raw)) return false
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`)
}

function publicUrl(env: Env): string | null {
  const raw = env.TRIBUTARY_PUBLIC_URL?.trim()
  if (!raw) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError('TRIBUTARY_PUBLIC_URL', `"${raw}" is not a URL; give the address browsers reach this server at, such as https://tributary.example.com`)
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username) {
    throw new ConfigError('TRIBUTARY_PUBLIC_URL', 'must be an http(s) URL without query, fragment or credentials')
  }
  return url.href.replace(/\/+$/, '')
}

export function parseKey(raw: string, variable: string): Buffer {
  const key = Buffer.from(raw.trim(), 'base64')
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== raw.trim().replace(/=+$/, '')) {
    throw new ConfigError(variable, 'must be 32 bytes encoded in base64 (generate one with: openssl rand -base64 32)')
  }
  return key
}

function encryptionKey(env: Env): Buffer | null {
  const raw = env.TRIBUTARY_ENCRYPTION_KEY
  return raw ? parseKey(raw, 'TRIBUTARY_ENCRYPTION_KEY') : null
}

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/

function clients(env: Env): { clientId: string; clientSecret: string }[] {
  const raw = env.TRIBUTARY_CLIENTS
  if (!raw) return []
  return raw.split(',').map((pair) => {
    const separator = pair.indexOf(':')
    const clientId = pair.slice(0, separator).trim()
    const clientSecret = pair.slice(separator + 1).trim()
    if (separator < 0 || !CLIENT_ID.test(clientId) || clientSecret.length < 16) {
      throw new ConfigError('TRIBUTARY_CLIENTS', 'must be comma-separated clientId:clientSecret pairs (id 3–64 of [A-Za-z0-9._-], secret at least 16 characters)')
    }
    return { clientId, clientSecret }
  })
}

function sandboxUsers(env: Env): CustomSandboxUser[] {
  const file = env.TRIBUTARY_SANDBOX_USERS_FILE?.trim()
  if (!file) return []
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError('TRIBUTARY_SANDBOX_USERS_FILE', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  try {
    return parseSandboxUsersFile(text)
  } catch (error) {
    throw new ConfigError('TRIBUTARY_SANDBOX_USERS_FILE', `${file}: ${(error as Error).message}`)
  }
}

function frameAncestors(env: Env): string[] {
  const origins = (env.TRIBUTARY_CONNECT_FRAME_ANCESTORS ?? '').split(/[\s,]+/).filter(Boolean)
  const bad = origins.find((origin) => !isFrameAncestor(origin))
  if (bad) throw new ConfigError('TRIBUTARY_CONNECT_FRAME_ANCESTORS', `"${bad}" is not an origin; list origins such as ${FRAME_ANCESTOR_EXAMPLES}, separated by spaces or commas`)
  return origins
}

/** Reads and validates the environment once; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const nodeEnv = env.NODE_ENV ?? 'development'
  const databaseUrl = env.DATABASE_URL?.trim() || null
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL')
  }
  const role = (env.TRIBUTARY_ROLE ?? 'all') as Role
  if (!ROLES.includes(role)) throw new ConfigError('TRIBUTARY_ROLE', `must be one of ${ROLES.join(', ')}, got "${env.TRIBUTARY_ROLE}"`)
  const key = encryptionKey(env)
  if (databaseUrl && !key) {
    throw new ConfigError('TRIBUTARY_ENCRYPTION_KEY', 'is required when DATABASE_URL is set (all processes must share it; generate one with: openssl rand -base64 32)')
  }
  const clientId = env.TRIBUTARY_CLIENT_ID?.trim() || null
  const clientSecret = env.TRIBUTARY_CLIENT_SECRET?.trim() || null
  if (clientId && !CLIENT_ID.test(clientId)) throw new ConfigError('TRIBUTARY_CLIENT_ID', 'must be 3–64 characters of [A-Za-z0-9._-]')
  if (clientSecret && clientSecret.length < 16) throw new ConfigError('TRIBUTARY_CLIENT_SECRET', 'must be at least 16 characters')
  if (Boolean(clientId) !== Boolean(clientSecret)) {
    throw new ConfigError(clientId ? 'TRIBUTARY_CLIENT_SECRET' : 'TRIBUTARY_CLIENT_ID', 'TRIBUTARY_CLIENT_ID and TRIBUTARY_CLIENT_SECRET must be set together')
  }
  const jwtSecret = env.TRIBUTARY_JWT_SECRET || null
  if (jwtSecret && jwtSecret.length < 32) throw new ConfigError('TRIBUTARY_JWT_SECRET', 'must be at least 32 characters')
  const logLevel = env.LOG_LEVEL ?? 'info'
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', 'must be one of fatal, error, warn, info, debug, trace, silent')
  }
  const dataDir = env.TRIBUTARY_DATA_DIR?.trim() || './.tributary'
  return Object.freeze({
    port: integer(env, 'PORT', 3000, 0, 65535),
    portGiven: Boolean(env.PORT?.trim()),
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl,
    preparedStatements: boolean(env, 'TRIBUTARY_DATABASE_PREPARED_STATEMENTS', true),
    dataDir: dataDir === ':memory:' ? dataDir : path.resolve(dataDir),
    embeddedSnapshot: boolean(env, 'TRIBUTARY_EMBEDDED_SNAPSHOT', true),
    role,
    clientId,
    clientSecret,
    extraClients: clients(env),
    encryptionKey: key,
    previousEncryptionKeys: (env.TRIBUTARY_ENCRYPTION_KEY_PREVIOUS ?? '')
      .split(',')
      .filter((k) => k.trim())
      .map((k) => parseKey(k, 'TRIBUTARY_ENCRYPTION_KEY_PREVIOUS')),
    jwtSecret,
    mfaTimeoutSeconds: integer(env, 'TRIBUTARY_MFA_TIMEOUT_SECONDS', 300, 1, 86_400),
    userActionTimeoutSeconds: integer(env, 'TRIBUTARY_USER_ACTION_TIMEOUT_SECONDS', 600, 1, 86_400),
    consentExpiryWarningDays: integer(env, 'TRIBUTARY_CONSENT_EXPIRY_WARNING_DAYS', 7, 1, 365),
    publicUrl: publicUrl(env),
    autoSyncIntervalSeconds: integer(env, 'TRIBUTARY_AUTO_SYNC_INTERVAL_SECONDS', 86_400, 1),
    connectorHealthIntervalSeconds: integer(env, 'TRIBUTARY_CONNECTOR_HEALTH_INTERVAL_SECONDS', 60, 1),
    authPendingRetrySeconds: integer(env, 'TRIBUTARY_AUTH_PENDING_RETRY_SECONDS', 120, 1),
    authPendingDeadlineSeconds: integer(env, 'TRIBUTARY_AUTH_PENDING_DEADLINE_SECONDS', 1800, 1),
    executionDeadlineSeconds: integer(env, 'TRIBUTARY_EXECUTION_DEADLINE_SECONDS', 1800, 1),
    workerLeaseSeconds: integer(env, 'TRIBUTARY_WORKER_LEASE_SECONDS', 60, 2),
    executionMaxAttempts: integer(env, 'TRIBUTARY_EXECUTION_MAX_ATTEMPTS', 3, 1, 100),
    databaseOutageSeconds: integer(env, 'TRIBUTARY_DATABASE_OUTAGE_SECONDS', 120, 1, 86_400),
    workerConcurrency: integer(env, 'TRIBUTARY_WORKER_CONCURRENCY', 1000, 1, 10_000),
    connectorConcurrency: integer(env, 'TRIBUTARY_CONNECTOR_CONCURRENCY', 10, 0, 100_000),
    shutdownGraceSeconds: integer(env, 'TRIBUTARY_SHUTDOWN_GRACE_SECONDS', 10, 0, 3600),
    pollIntervalMs: integer(env, 'TRIBUTARY_POLL_INTERVAL_MS', 500, 10, 60_000),
    sandboxDelayMs: integer(env, 'TRIBUTARY_SANDBOX_DELAY_MS', 400, 0, 600_000),
    sandboxControl: boolean(env, 'TRIBUTARY_SANDBOX_CONTROL', nodeEnv !== 'production'),
    sandboxUsers: sandboxUsers(env),
    connectorModules: (env.TRIBUTARY_CONNECTORS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    webhookRetryBaseSeconds: integer(env, 'TRIBUTARY_WEBHOOK_RETRY_BASE_SECONDS', 30, 1),
    webhookMaxAttempts: integer(env, 'TRIBUTARY_WEBHOOK_MAX_ATTEMPTS', 10, 1, 100),
    webhookAllowPrivate: boolean(env, 'TRIBUTARY_WEBHOOK_ALLOW_PRIVATE', nodeEnv !== 'production'),
    authRateLimit: integer(env, 'TRIBUTARY_AUTH_RATE_LIMIT', 30, 1),
    itemUpdateRateLimit: integer(env, 'TRIBUTARY_ITEM_UPDATE_RATE_LIMIT', 20, 1),
    itemCreateRateLimit: integer(env, 'TRIBUTARY_ITEM_CREATE_RATE_LIMIT', 600, 1),
    connectFrameAncestors: frameAncestors(env),
    dashboard: boolean(env, 'TRIBUTARY_DASHBOARD', nodeEnv !== 'production'),
    logLevel,
    nodeEnv,
  })
}
