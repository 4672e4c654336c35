import { type Command, InvalidArgumentError } from 'commander'
import pino from 'pino'
import { loadConfig } from '../config.ts'
import { table } from './format.ts'
import { CliExit, type CliIo } from './io.ts'

interface Flow {
  name: string
  connectorId: number
  parameters: Record<string, string>
  /** The code to send when the item waits for one. */
  mfa?: string
}

const FLOWS: Flow[] = [
  { name: 'no MFA', connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } },
  { name: '1-step MFA', connectorId: 1, parameters: { user: 'user-ok', password: 'password-ok', token: '123456' } },
  { name: '2-step MFA', connectorId: 2, parameters: { user: 'user-ok', password: 'password-ok' }, mfa: '123456' },
  { name: 'device authorization', connectorId: 3, parameters: { user: 'user-auth-pending-1', password: 'password-ok' } },
  { name: 'failing login', connectorId: 0, parameters: { user: 'user-ok', password: 'wrong-password' } },
]

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>

interface Progress {
  flow: Flow
  id?: string
  status: string
  executionStatus: string
  executions: number
  startedAt: number
  finishedAt?: number
  note: string
}

const finished = (p: Progress) => p.finishedAt !== undefined

/**
 * Runs one item per lifecycle flow and renders each execution's steps live. Device authorization
 * ends pending first and resumes by itself, so it is followed until its second execution ends.
 */
async function runFlows(call: Call, out: { isTTY?: boolean; write(text: string): unknown }): Promise<Progress[]> {
  const progress: Progress[] = []
  for (const flow of FLOWS) {
    const created = await call('POST', '/items', { connectorId: flow.connectorId, parameters: flow.parameters })
    if (created.status !== 200) throw new Error(`creating the ${flow.name} item failed: ${created.body?.message ?? created.status}`)
    progress.push({ flow, id: created.body.id, status: created.body.status, executionStatus: created.body.executionStatus, executions: 1, startedAt: Date.now(), note: '' })
  }
  const live = out.isTTY
  let drawn = 0
  const draw = () => {
    if (live && drawn > 0) out.write(`\x1b[${drawn}A`)
    const lines = progress.map((p) => {
      const mark = finished(p) ? (p.status === 'UPDATED' ? '✔' : '✖') : '…'
      return `${mark} ${p.flow.name.padEnd(22)} ${`${p.status} / ${p.executionStatus}`.padEnd(58)} ${p.note}`
    })
    if (live) out.write(lines.map((l) => `\x1b[2K${l}\n`).join(''))
    drawn = lines.length
  }
  const seen = new Map<string, string>()
  const deadline = Date.now() + 5 * 60_000
  while (progress.some((p) => !finished(p)) && Date.now() < deadline) {
    for (const p of progress.filter((q) => !finished(q))) {
      const { body: item } = await call('GET', `/items/${p.id}`)
      p.status = item.status
      p.executionStatus = item.executionStatus
      if (!live && seen.get(p.id!) !== `${p.status}/${p.executionStatus}`) out.write(`${p.flow.name}: ${p.status} / ${p.executionStatus}\n`)
      seen.set(p.id!, `${p.status}/${p.executionStatus}`)
      if (item.status === 'WAITING_USER_INPUT' && p.flow.mfa) {
        p.note = `asked for “${item.parameter.label}”, answering ${p.flow.mfa}`
        await call('POST', `/items/${p.id}/mfa`, { [item.parameter.name]: p.flow.mfa })
      } else if (item.executionStatus === 'USER_AUTHORIZATION_PENDING') {
        p.note = 'waiting for the user to approve in the bank’s app; the engine retries by itself'
      } else if (item.status !== 'UPDATING' && item.status !== 'WAITING_USER_INPUT') {
        p.finishedAt = Date.now()
        p.note = item.error ? `${item.error.code}: ${item.error.message}` : 'all products collected'
      }
    }
    draw()
    await new Promise((r) => setTimeout(r, 150))
  }
  for (const p of progress) {
    const { body } = await call('GET', `/items/${p.id}/executions?pageSize=10`)
    p.executions = body?.total ?? p.executions
  }
  return progress
}

function summary(progress: Progress[]): string {
  return table(
    progress.map((p) => ({
      flow: p.flow.name,
      connector: p.flow.connectorId,
      status: p.status,
      executionStatus: p.executionStatus,
      executions: p.executions,
      seconds: p.finishedAt ? ((p.finishedAt - p.startedAt) / 1000).toFixed(1) : 'timed out',
      item: p.id,
    })),
    ['flow', 'connector', 'status', 'executionStatus', 'executions', 'seconds', 'item'],
  )
}

function nonNegativeInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new InvalidArgumentError('must be a whole number of milliseconds from 0 to 10000')
  return n
}

export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('connect one sandbox item per lifecycle flow and watch every step (in-process, or against --url)')
    .option('--url <url>', 'a running server (default: start one in this process with an in-memory database)')
    .option('--client-id <id>', 'client id for --url (default: TRIBUTARY_CLIENT_ID)')
    .option('--client-secret <secret>', 'client secret for --url (default: TRIBUTARY_CLIENT_SECRET)')
    .option('--delay-ms <ms>', 'sandbox step latency of the in-process server', nonNegativeInt, 300)
    .option('--json', 'print the outcome as JSON')
    .action(async (options: { url?: string; clientId?: string; clientSecret?: string; delayMs: number; json?: boolean }) => {
      let call: Call
      let stop = async () => {}
      if (options.url) {
        const clientId = options.clientId ?? io.env.TRIBUTARY_CLIENT_ID
        const clientSecret = options.clientSecret ?? io.env.TRIBUTARY_CLIENT_SECRET
        if (!clientId || !clientSecret) {
          io.err('tributary: --url needs --client-id and --client-secret (the keys the server printed at start)\n')
          throw new CliExit(2)
        }
        const base = options.url.replace(/\/$/, '')
        const request = async (method: string, path: string, body?: unknown, apiKey?: string) => {
          const response = await fetch(`${base}${path}`, {
            method,
            headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(apiKey ? { 'x-api-key': apiKey } : {}) },
            ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          }).catch((error) => {
            io.err(`tributary: cannot reach ${base}: ${(error as Error).message}\n`)
            throw new CliExit(1)
          })
          return { status: response.status, body: await response.json().catch(() => null) }
        }
        const auth = await request('POST', '/auth', { clientId, clientSecret })
        if (auth.status !== 200) {
          io.err(`tributary: ${base} refused the client keys: ${auth.body?.message ?? auth.status}\n`)
          throw new CliExit(1)
        }
        call = (method, path, body) => request(method, path, body, auth.body.apiKey)
      } else {
        const clientId = 'demo-client'
        const clientSecret = 'demo-client-secret-0123456789'
        const { startTributary } = await import('../main.ts')
        const tributary = await startTributary(
          loadConfig({
            TRIBUTARY_DATA_DIR: ':memory:',
            TRIBUTARY_CLIENT_ID: clientId,
            TRIBUTARY_CLIENT_SECRET: clientSecret,
            TRIBUTARY_SANDBOX_DELAY_MS: String(options.delayMs),
            TRIBUTARY_AUTH_PENDING_RETRY_SECONDS: '2',
            TRIBUTARY_POLL_INTERVAL_MS: '100',
            LOG_LEVEL: 'silent',
          }),
          { listen: false, logger: pino({ level: 'silent' }) },
        )
        stop = () => tributary.stop()
        const app = tributary.app!
        const inject = async (method: string, path: string, body?: unknown, apiKey?: string) => {
          const response = await app.inject({ method: method as 'GET', url: path, headers: apiKey ? { 'x-api-key': apiKey } : {}, ...(body !== undefined ? { payload: body as object } : {}) })
          return { status: response.statusCode, body: response.json() }
        }
        const apiKey = (await inject('POST', '/auth', { clientId, clientSecret })).body.apiKey
        call = (method, path, body) => inject(method, path, body, apiKey)
        if (!options.json) io.out(`Started an in-process Tributary (in-memory database, sandbox step latency ${options.delayMs} ms).\n\n`)
      }
      try {
        const progress = await runFlows(call, options.json ? { isTTY: false, write: () => true } : { isTTY: io.isTTY, write: io.out })
        if (options.json) {
          io.out(
            JSON.stringify(
              progress.map((p) => ({ flow: p.flow.name, itemId: p.id, status: p.status, executionStatus: p.executionStatus, executions: p.executions })),
              null,
              2,
            ) + '\n',
          )
        } else {
          io.out(`\n${summary(progress)}`)
        }
        if (progress.some((p) => !finished(p))) throw new CliExit(1)
      } finally {
        await stop()
      }
    })
}
