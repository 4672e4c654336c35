import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { runCli } from '../src/cli/program.ts'
import { startTestEngine } from './support/harness.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const BIN = path.join(ROOT, 'bin/tributary.js')
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tributary-cli-'))
const ENV = { TRIBUTARY_DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' }

/** Runs `tributary <args>` in this process (the commands as main.ts runs them), with what it printed and its exit code. */
async function tributary(args: string[], env: Record<string, string> = {}) {
  let stdout = ''
  let stderr = ''
  const status = await runCli(args, { env: { ...ENV, ...env }, out: (text) => void (stdout += text), err: (text) => void (stderr += text) })
  return { status, stdout, stderr }
}

/** Runs `tributary <args>` as a user would: bin/tributary.js (the compiled CLI) in a process of its own. */
function tributaryProcess(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...ENV, ...env }, encoding: 'utf8', timeout: 120_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('the tributary commands', () => {
  it('manages clients: create (secret shown once), list, revoke; refuses bad arguments clearly', async () => {
    const created = await tributary(['clients', 'create', 'acme-app', '--json'])
    expect(created.status, created.stderr).toBe(0)
    const { clientId, clientSecret } = JSON.parse(created.stdout)
    expect(clientId).toBe('acme-app')
    expect(clientSecret.length).toBeGreaterThanOrEqual(24)
    const again = await tributary(['clients', 'create', 'acme-app'])
    expect(again.status).toBe(2)
    expect(again.stderr).toContain('already exists')
    const listed = JSON.parse((await tributary(['clients', 'list', '--json'])).stdout)
    expect(listed.find((c: { clientId: string }) => c.clientId === 'acme-app').revokedAt).toBeNull()
    expect((await tributary(['clients', 'revoke', 'acme-app'])).status).toBe(0)
    const afterRevoke = JSON.parse((await tributary(['clients', 'list', '--json'])).stdout)
    expect(afterRevoke.find((c: { clientId: string }) => c.clientId === 'acme-app').revokedAt).not.toBeNull()
    const bad = await tributary(['clients', 'create', 'x'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('clientId must be')
  })

  it('lists connectors, explains bad item ids and bad options, and has --help everywhere', async () => {
    const connectors = JSON.parse((await tributary(['connectors', 'list', '--json'])).stdout)
    expect(connectors.map((c: { id: number }) => c.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
    expect(connectors.find((c: { id: number }) => c.id === 1).mfa).toBe('1-step')
    const show = await tributary(['items', 'show', 'not-an-id'])
    expect(show.status).toBe(2)
    expect(show.stderr).toContain('is not an item id')
    const limit = await tributary(['items', 'list', '--limit', '0'])
    expect(limit.status).not.toBe(0)
    expect(limit.stderr).toContain('--limit')
    for (const command of [[], ['items'], ['clients'], ['keys'], ['demo']]) {
      const help = await tributary([...command, '--help'])
      expect(help.status, command.join(' ')).toBe(0)
      expect(help.stdout).toContain('Usage:')
    }
    const config = await tributary(['migrate'], { TRIBUTARY_SANDBOX_DELAY_MS: 'fast' })
    expect(config.status).toBe(78)
    expect(config.stderr.trim()).toBe('tributary: invalid configuration: TRIBUTARY_SANDBOX_DELAY_MS: must be a whole number, got "fast"')
  })

  it('demo runs every lifecycle flow to its end and reports each outcome', async () => {
    const demo = await tributary(['demo', '--json', '--delay-ms', '0'])
    expect(demo.status, demo.stderr).toBe(0)
    const flows = Object.fromEntries(JSON.parse(demo.stdout).map((f: { flow: string; status: string; executionStatus: string; executions: number }) => [f.flow, f]))
    expect(flows['no MFA']).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS' })
    expect(flows['1-step MFA']).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS' })
    expect(flows['2-step MFA']).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS' })
    expect(flows['device authorization']).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', executions: 2 })
    expect(flows['failing login']).toMatchObject({ status: 'LOGIN_ERROR', executionStatus: 'INVALID_CREDENTIALS' })
  })

  it('items list and show print an item and the timeline of its executions', async () => {
    // An item made by a server on this data dir; the commands read it once the server stopped.
    const engine = await startTestEngine({ TRIBUTARY_DATA_DIR: dataDir })
    const apiKey = await engine.apiKey()
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-locked', password: 'password-ok' } })
    await engine.waitForItem(apiKey, created.id)
    await engine.stop()

    const listed = JSON.parse((await tributary(['items', 'list', '--json'])).stdout)
    expect(listed.find((i: { id: string }) => i.id === created.id)).toMatchObject({ status: 'LOGIN_ERROR', executionStatus: 'ACCOUNT_LOCKED' })
    const shown = await tributary(['items', 'show', created.id])
    expect(shown.status, shown.stderr).toBe(0)
    expect(shown.stdout).toContain('status LOGIN_ERROR / ACCOUNT_LOCKED')
    for (const step of ['CREATED', 'LOGIN_IN_PROGRESS', 'ACCOUNT_LOCKED']) expect(shown.stdout).toContain(step)
    const missing = await tributary(['items', 'show', '00000000-0000-4000-8000-000000000000'])
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('no item')
  })
})

// Where the process is the point: the exit code and streams a shell sees, and a server that a signal stops.
describe('the tributary executable', () => {
  it('ends with the command’s exit code: 0 for help, 2 for a refused argument, 78 for an invalid configuration', () => {
    const help = tributaryProcess(['--help'])
    expect(help.status, help.stderr).toBe(0)
    expect(help.stdout).toContain('Usage: tributary')
    const refused = tributaryProcess(['items', 'show', 'not-an-id'])
    expect(refused.status).toBe(2)
    expect(refused.stderr).toBe('tributary: not-an-id is not an item id (a UUID)\n')
    const config = tributaryProcess(['migrate'], { TRIBUTARY_SANDBOX_DELAY_MS: 'fast' })
    expect(config.status).toBe(78)
    expect(config.stderr.trim()).toBe('tributary: invalid configuration: TRIBUTARY_SANDBOX_DELAY_MS: must be a whole number, got "fast"')
  })

  it('serve prints where it listens, answers, and stops with exit code 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: { ...process.env, ...ENV, TRIBUTARY_DATA_DIR: ':memory:', PORT: '0', HOST: '127.0.0.1' } })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const url = await vi.waitFor(
        () => {
          const found = /API {12}(http:\/\/\S+)/.exec(stdout)
          if (!found) throw new Error(`the start banner with the API address; stdout so far: ${JSON.stringify(stdout)}`)
          return found[1]
        },
        { timeout: 60_000, interval: 50 },
      )
      expect((await fetch(`${url}/health`)).status).toBe(200)
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
