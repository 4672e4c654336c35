import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { STEP_ORDER } from '../../src/domain/statuses.ts'

// Helpers of the scale-out suites (SPEC §6): a throw-away PostgreSQL database per test file, real
// Tributary processes (`tsx src/cli/main.ts serve`, one role each) sharing it, a small HTTP client
// for their API, a webhook receiver, and the checks every distributed run must pass.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const TSX_CLI = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const CLI = path.join(ROOT, 'src', 'cli', 'main.ts')

/** The PostgreSQL server the suites use (its `postgres` database is used to create and drop test databases). */
export const POSTGRES_URL = process.env.TRIBUTARY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** Shared by every process of a run: all of them must decrypt each other's credentials. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64')
export const TEST_CLIENT = { clientId: 'distributed-client', clientSecret: 'distributed-client-secret-0123456789' }

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Thrown by a `waitFor` probe to stop waiting at once (the awaited thing cannot happen any more). */
export class StopWaiting extends Error {}

/**
 * Polls `probe` until it returns something other than undefined/false; throws `describe()` after
 * `timeoutMs`. A probe that throws is retried (the last error is reported), unless it throws StopWaiting.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs: number; intervalMs?: number; describe: () => string | Promise<string> },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined && value !== false) return value as T
    } catch (error) {
      if (error instanceof StopWaiting) throw error
      lastError = error
    }
    if (Date.now() >= deadline) {
      const detail = await Promise.resolve(options.describe()).catch((error) => `(could not describe: ${error})`)
      throw new Error(`timed out after ${options.timeoutMs} ms: ${detail}${lastError ? `\nlast error: ${String(lastError)}` : ''}`)
    }
    await sleep(options.intervalMs ?? 250)
  }
}

// ---------------------------------------------------------------------------------------------
// One database per run
// ---------------------------------------------------------------------------------------------

export interface TestDatabase {
  name: string
  url: string
  /** A pool on the test database for direct queries; survives a server restart (idle errors ignored). */
  pool: pg.Pool
  /** Runs a query, retrying while the server is away (restarts), up to `timeoutMs`. */
  query<R extends pg.QueryResultRow = any>(sql: string, params?: unknown[], timeoutMs?: number): Promise<R[]>
  drop(): Promise<void>
}

function quietPool(pool: pg.Pool): pg.Pool {
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  return pool
}

/** Creates `tributary_test_<random>` on the server; `drop()` removes it with (force). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tributary_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: POSTGRES_URL })
  admin.on('error', () => {})
  await admin.connect()
  try {
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end().catch(() => {})
  }
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  const pool = quietPool(new pg.Pool({ connectionString: url.toString(), max: 4 }))
  let dropped = false
  return {
    name,
    url: url.toString(),
    pool,
    async query(sql, params = [], timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        try {
          return (await pool.query(sql, params)).rows
        } catch (error) {
          const code = (error as { code?: string }).code
          // Retry only when the server is away (connection errors, shutdown, starting up).
          const transient = !code || code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('08')
          if (!transient || Date.now() >= deadline) throw error
          await sleep(200)
        }
      }
    },
    async drop() {
      if (dropped) return
      dropped = true
      await pool.end().catch(() => {})
      const deadline = Date.now() + 30_000
      for (;;) {
        const client = new pg.Client({ connectionString: POSTGRES_URL })
        client.on('error', () => {})
        try {
          await client.connect()
          await client.query(`drop database if exists ${name} with (force)`)
          return
        } catch (error) {
          if (Date.now() >= deadline) throw error
          await sleep(500)
        } finally {
          await client.end().catch(() => {})
        }
      }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

/** A free TCP port on loopback: listen on port 0, read it, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

export type Role = 'all' | 'api' | 'worker'

export interface SpawnOptions {
  name: string
  role: Role
  databaseUrl: string
  /** Extra or overriding environment (e.g. TRIBUTARY_AUTO_SYNC_INTERVAL_SECONDS). */
  env?: Record<string, string>
}

/** The environment every process of a run shares, before per-process overrides. */
export const BASE_ENV: Record<string, string> = {
  TRIBUTARY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
  TRIBUTARY_CLIENT_ID: TEST_CLIENT.clientId,
  TRIBUTARY_CLIENT_SECRET: TEST_CLIENT.clientSecret,
  TRIBUTARY_SANDBOX_DELAY_MS: '75',
  TRIBUTARY_WORKER_LEASE_SECONDS: '4',
  TRIBUTARY_POLL_INTERVAL_MS: '100',
  TRIBUTARY_WEBHOOK_RETRY_BASE_SECONDS: '1',
  // A run creates a few hundred items and posts many MFA values within a minute.
  TRIBUTARY_ITEM_CREATE_RATE_LIMIT: '100000',
  TRIBUTARY_ITEM_UPDATE_RATE_LIMIT: '100000',
  TRIBUTARY_AUTH_RATE_LIMIT: '100000',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  NODE_ENV: 'test',
}

const MAX_OUTPUT_CHARS = 200_000
const live = new Set<TributaryProcess>()

// Last resort: a test runner that exits without afterAll must not leave engines running.
process.once('exit', () => {
  for (const child of live) child.killNow('SIGKILL')
})

/**
 * One `tsx src/cli/main.ts serve` process. tsx runs the program in a child of its own, so the
 * process is started in its own process group and signals go to the whole group.
 */
export class TributaryProcess {
  readonly child: ChildProcess
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  private output = ''
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null

  constructor(
    readonly name: string,
    readonly role: Role,
    readonly port: number,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [TSX_CLI, CLI, 'serve'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    live.add(this)
    const capture = (stream: string) => (chunk: Buffer) => {
      this.output += chunk.toString('utf8').replace(/^(?=.)/gm, `[${this.name} ${stream}] `)
      if (this.output.length > MAX_OUTPUT_CHARS) this.output = this.output.slice(-MAX_OUTPUT_CHARS / 2)
    }
    this.child.stdout?.on('data', capture('out'))
    this.child.stderr?.on('data', capture('err'))
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal }
        live.delete(this)
        resolve(this.exitInfo)
      })
    })
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  get running(): boolean {
    return this.exitInfo === null
  }

  /** The captured stdout and stderr (the last `chars` characters). */
  tail(chars = 4000): string {
    return this.output.slice(-chars)
  }

  /** Pids of the process group (tsx and the program it runs): Linux /proc. */
  groupPids(): number[] {
    const pgid = this.child.pid
    if (!pgid) return []
    const pids: number[] = []
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        // pid (comm) state ppid pgrp …; comm may contain spaces, so split after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        if (Number(fields[2]) === pgid) pids.push(Number(entry))
      } catch {
        // the process ended while we looked
      }
    }
    return pids
  }

  /** Whether an engine worker id (`<host>-<pid>-<random>`) belongs to this process. */
  ownsWorkerId(workerId: string): boolean {
    const pid = workerIdPid(workerId)
    return pid !== null && this.groupPids().includes(pid)
  }

  killNow(signal: NodeJS.Signals): void {
    if (!this.running || !this.child.pid) return
    try {
      process.kill(-this.child.pid, signal)
    } catch {
      // already gone
    }
  }

  /** Sends `signal` to the process group and waits for the exit (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.running) return
    this.killNow(signal)
    const timer = setTimeout(() => this.killNow('SIGKILL'), graceMs)
    await this.exited
    clearTimeout(timer)
    // tsx may exit before its child: make sure nothing of the group survives.
    if (this.groupPids().length > 0) {
      try {
        process.kill(-this.child.pid!, 'SIGKILL')
      } catch {}
    }
  }

  /** Polls GET /health on the process's PORT until 200; fails early if the process exits. */
  async waitHealthy(timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        if (!this.running) throw new StopWaiting(`${this.name} (${this.role}) exited (${JSON.stringify(this.exitInfo)}) before answering /health\n${this.tail()}`)
        return (await httpStatus(`${this.url}/health`)) === 200
      },
      { timeoutMs, intervalMs: 200, describe: () => `${this.name} (${this.role}) never answered 200 on /health\n${this.tail()}` },
    )
  }
}

/** The pid inside a worker id `${hostname}-${pid}-${6 hex}` (src/main.ts), or null. */
export function workerIdPid(workerId: string): number | null {
  const match = /-(\d+)-[0-9a-f]{6}$/.exec(workerId)
  return match ? Number(match[1]) : null
}

/** The status of a GET, or 0 when nothing answered. */
export async function httpStatus(url: string, timeoutMs = 5_000): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    await response.arrayBuffer()
    return response.status
  } catch {
    return 0
  }
}

/** The processes of one test file; `stopAll()` in afterAll kills what is left. */
export class ProcessGroup {
  readonly processes: TributaryProcess[] = []

  constructor(private readonly databaseUrl: string) {}

  /** Starts a process on a free port (a worker serves /health there) and waits until it answers. */
  async start(options: Omit<SpawnOptions, 'databaseUrl'>, healthTimeoutMs = 90_000): Promise<TributaryProcess> {
    const port = await freePort()
    const env = { ...BASE_ENV, ...options.env, DATABASE_URL: this.databaseUrl, TRIBUTARY_ROLE: options.role, PORT: String(port) }
    const child = new TributaryProcess(options.name, options.role, port, env)
    this.processes.push(child)
    await child.waitHealthy(healthTimeoutMs)
    return child
  }

  running(): TributaryProcess[] {
    return this.processes.filter((p) => p.running)
  }

  /** Captured output of every process, for failure messages. */
  output(charsEach = 3000): string {
    return this.processes.map((p) => `--- ${p.name} (${p.role}${p.running ? '' : ', exited'}) ---\n${p.tail(charsEach)}`).join('\n')
  }

  async stopAll(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop(signal, 5_000)))
  }
}

// ---------------------------------------------------------------------------------------------
// API client
// ---------------------------------------------------------------------------------------------

export interface Reply<T = any> {
  status: number
  body: T
}

/** A small client of one API process (X-API-KEY after `login()`); network errors answer status 0. */
export class ApiClient {
  apiKey = ''

  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, urlPath: string, body?: unknown, timeoutMs = 20_000): Promise<Reply<T>> {
    try {
      const response = await fetch(`${this.baseUrl}${urlPath}`, {
        method,
        headers: { ...(this.apiKey ? { 'x-api-key': this.apiKey } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      })
      const text = await response.text()
      let parsed: any = text
      try {
        parsed = JSON.parse(text)
      } catch {}
      return { status: response.status, body: parsed }
    } catch (error) {
      return { status: 0, body: String(error) as any }
    }
  }

  async login(client = TEST_CLIENT): Promise<void> {
    const reply = await this.request('POST', '/auth', client)
    if (reply.status !== 200) throw new Error(`POST /auth answered ${reply.status}: ${JSON.stringify(reply.body)}`)
    this.apiKey = reply.body.apiKey
  }

  /** POST /items, retried while the API answers 5xx or not at all; throws on a 4xx. */
  async createItem(body: Record<string, unknown>, timeoutMs = 60_000): Promise<any> {
    let last: Reply | undefined
    return waitFor(
      async () => {
        last = await this.request('POST', '/items', body)
        if (last.status === 200) return last.body
        if (last.status >= 400 && last.status < 500) throw new StopWaiting(`POST /items answered ${last.status}: ${JSON.stringify(last.body)}`)
        return undefined
      },
      { timeoutMs, intervalMs: 300, describe: () => `POST /items kept failing: ${last?.status} ${JSON.stringify(last?.body)}` },
    )
  }

  /** Every item of the client (GET /items, all pages). */
  async listItems(): Promise<any[]> {
    const all: any[] = []
    for (let page = 1; ; page++) {
      const reply = await this.request('GET', `/items?pageSize=500&page=${page}`)
      if (reply.status !== 200) throw new Error(`GET /items answered ${reply.status}: ${JSON.stringify(reply.body)}`)
      all.push(...reply.body.results)
      if (page >= reply.body.totalPages) return all
    }
  }
}

/** Runs `work` over `inputs` with at most `limit` at a time; results in input order. */
export async function mapLimit<I, O>(inputs: readonly I[], limit: number, work: (input: I, index: number) => Promise<O>): Promise<O[]> {
  const results: O[] = new Array(inputs.length)
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, inputs.length) }, async () => {
    while (next < inputs.length) {
      const index = next++
      results[index] = await work(inputs[index], index)
    }
  })
  await Promise.all(lanes)
  return results
}

/**
 * Answers 2-step MFA in the background: lists the client's items through the API and posts
 * `{ token: '123456' }` to each WAITING_USER_INPUT one, until stopped. Errors (a lost race, a
 * database restart) are expected and ignored: the next pass tries again.
 */
export function answerMfaInBackground(api: ApiClient, options: { intervalMs?: number; code?: string } = {}): { stop(): Promise<void>; answered: () => number } {
  let stopped = false
  let answered = 0
  const loop = (async () => {
    while (!stopped) {
      try {
        const waiting = (await api.listItems()).filter((item) => item.status === 'WAITING_USER_INPUT')
        await mapLimit(waiting, 8, async (item) => {
          const reply = await api.request('POST', `/items/${item.id}/mfa`, { [item.parameter?.name ?? 'token']: options.code ?? '123456' })
          if (reply.status === 200) answered++
        })
      } catch {
        // the API or the database is away for a moment
      }
      await sleep(options.intervalMs ?? 250)
    }
  })()
  return {
    answered: () => answered,
    async stop() {
      stopped = true
      await loop
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Webhook receiver
// ---------------------------------------------------------------------------------------------

/** A real HTTP receiver on 127.0.0.1 that answers 200 and records every event it got. */
export class WebhookReceiver {
  /** eventId → how many times it arrived. */
  readonly received = new Map<string, number>()
  readonly bodies: any[] = []
  private server: http.Server | null = null
  port = 0

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        try {
          const json = JSON.parse(Buffer.concat(chunks).toString('utf8'))
          this.bodies.push(json)
          if (json?.eventId) this.received.set(json.eventId, (this.received.get(json.eventId) ?? 0) + 1)
        } catch {}
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end('ok')
      })
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    this.server = server
    this.port = (server.address() as AddressInfo).port
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`
  }

  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = null
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

// ---------------------------------------------------------------------------------------------
// Checks on the shared database
// ---------------------------------------------------------------------------------------------

export interface ExecutionFacts {
  id: string
  itemId: string
  status: string
  triggeredBy: string
  workerId: string | null
  steps: { status: string; startedAt: string; finishedAt: string | null; attempt?: number }[]
  createdAt: Date
  finishedAt: Date | null
}

export async function executionsOf(db: TestDatabase): Promise<ExecutionFacts[]> {
  return db.query<ExecutionFacts>(
    `select id, item_id as "itemId", status, triggered_by as "triggeredBy", worker_id as "workerId", steps,
            created_at as "createdAt", finished_at as "finishedAt"
     from executions order by item_id, created_at, id`,
  )
}

/** The in-progress statuses in timeline order (the engine's own list). */
export const IN_PROGRESS: readonly string[] = STEP_ORDER

/** Rank of a status in an execution's timeline (SPEC §2.2); final values rank last. */
function rank(status: string): number {
  if (status === 'WAITING_USER_INPUT') return IN_PROGRESS.indexOf('LOGIN_IN_PROGRESS') + 0.5
  const index = IN_PROGRESS.indexOf(status)
  return index >= 0 ? index : IN_PROGRESS.length
}

/**
 * Problems with the executions of each item: two that overlap in time (one started before the
 * previous one finished — at most one in progress per item, SPEC §1, §2.4, §2.6), and timelines
 * that move backwards or go on after a final status (SPEC §2.2, §4a.2: one worker drove it).
 */
export function executionProblems(executions: ExecutionFacts[]): string[] {
  const problems: string[] = []
  const byItem = new Map<string, ExecutionFacts[]>()
  for (const execution of executions) {
    const list = byItem.get(execution.itemId) ?? []
    list.push(execution)
    byItem.set(execution.itemId, list)
  }
  for (const [itemId, list] of byItem) {
    list.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    for (let i = 1; i < list.length; i++) {
      const previous = list[i - 1]
      const current = list[i]
      if (previous.finishedAt === null || current.createdAt.getTime() < previous.finishedAt.getTime()) {
        problems.push(
          `item ${itemId}: execution ${current.id} (${current.triggeredBy}) started at ${current.createdAt.toISOString()} while ${previous.id} ` +
            `(${previous.triggeredBy}, ${previous.status}) was still running (finished ${previous.finishedAt?.toISOString() ?? 'never'})`,
        )
      }
    }
  }
  for (const execution of executions) {
    const statuses = execution.steps.map((s) => s.status)
    for (let i = 1; i < statuses.length; i++) {
      const from = statuses[i - 1]
      const to = statuses[i]
      const backAllowed = from === 'LOGIN_MFA_IN_PROGRESS' && to === 'WAITING_USER_INPUT'
      if (rank(to) <= rank(from) && !backAllowed) {
        problems.push(`execution ${execution.id}: timeline moves ${from} → ${to}: ${statuses.join(' → ')}`)
        break
      }
    }
    // One runner at a time: once a worker took the execution over, no earlier attempt writes again.
    const attempts = execution.steps.map((s) => s.attempt ?? 1)
    if (attempts.some((attempt, i) => i > 0 && attempt < attempts[i - 1])) {
      problems.push(`execution ${execution.id}: an earlier attempt wrote after a later one: ${execution.steps.map((s) => `${s.status}#${s.attempt ?? 1}`).join(' → ')}`)
    }
    if (statuses[0] !== 'CREATED') problems.push(`execution ${execution.id}: timeline does not start at CREATED: ${statuses.join(' → ')}`)
    const finals = statuses.filter((s) => rank(s) === IN_PROGRESS.length && s !== 'WAITING_USER_INPUT')
    if (execution.finishedAt !== null && (finals.length !== 1 || statuses.at(-1) !== execution.status)) {
      problems.push(`execution ${execution.id} (${execution.status}): finished, but its timeline is ${statuses.join(' → ')}`)
    }
  }
  return problems
}

/** Accounts or transactions stored twice for one item/account (SPEC §2.8: stable ids, merge in one transaction). */
export async function duplicateData(db: TestDatabase): Promise<string[]> {
  const problems: string[] = []
  const accounts = await db.query(`select item_id, provider_id, count(*)::int as n from accounts group by 1, 2 having count(*) > 1`)
  for (const row of accounts) problems.push(`account ${row.provider_id} of item ${row.item_id} stored ${row.n} times`)
  const hasTransactions = (await db.query(`select to_regclass('public.transactions') as t`))[0]?.t !== null
  if (hasTransactions) {
    const byKey = await db.query(`select account_id, match_key, count(*)::int as n from transactions group by 1, 2 having count(*) > 1`)
    for (const row of byKey) problems.push(`transaction ${row.match_key} of account ${row.account_id} stored ${row.n} times`)
    const byProvider = await db.query(`select account_id, provider_id, count(*)::int as n from transactions where provider_id is not null group by 1, 2 having count(*) > 1`)
    for (const row of byProvider) problems.push(`transaction providerId ${row.provider_id} of account ${row.account_id} stored ${row.n} times`)
  }
  return problems
}

/** Finds the installed PostgreSQL cluster to restart (`pg_ctlcluster <version> main restart`). */
export function postgresClusterVersion(): string | null {
  try {
    const versions = readdirSync('/etc/postgresql').filter((v) => /^\d+(\.\d+)?$/.test(v))
    const withMain = versions.filter((v) => {
      try {
        return readdirSync(`/etc/postgresql/${v}`).includes('main')
      } catch {
        return false
      }
    })
    return withMain.sort((a, b) => Number(b) - Number(a))[0] ?? null
  } catch {
    return null
  }
}
