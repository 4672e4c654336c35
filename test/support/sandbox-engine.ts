import { PluggyClient, type Item } from 'pluggy-sdk'
import pino from 'pino'
import { expect, vi } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import type { ConnectorDefinition } from '../../src/connectors/sdk/index.ts'
import { startTributary, type Tributary } from '../../src/main.ts'
import { ManualClock } from '../../src/time/manual-clock.ts'
import { CLIENT, OTHER_CLIENT } from './harness.ts'

export const OK = { user: 'user-ok', password: 'password-ok' }

export const finished = (item: Item) => item.status !== 'UPDATING' && item.status !== 'WAITING_USER_INPUT'

/**
 * A listening engine on a ManualClock, with the unmodified pluggy-sdk client pointed at it
 * (PLUGGY_API_URL, restored by `stop()`), and helpers for the sandbox control API's tests.
 */
export async function startSandboxEngine(options: { connectors?: ConnectorDefinition[]; env?: Record<string, string> } = {}) {
  const clock = new ManualClock()
  const config = loadConfig({
    TRIBUTARY_DATA_DIR: ':memory:',
    TRIBUTARY_SANDBOX_DELAY_MS: '0',
    PORT: '0',
    HOST: '127.0.0.1',
    TRIBUTARY_CLIENT_ID: CLIENT.clientId,
    TRIBUTARY_CLIENT_SECRET: CLIENT.clientSecret,
    TRIBUTARY_CLIENTS: `${OTHER_CLIENT.clientId}:${OTHER_CLIENT.clientSecret}`,
    TRIBUTARY_POLL_INTERVAL_MS: '50',
    // Every control request takes a fresh key (the tests move the clock).
    TRIBUTARY_AUTH_RATE_LIMIT: '10000',
    TRIBUTARY_ITEM_UPDATE_RATE_LIMIT: '10000',
    TRIBUTARY_SHUTDOWN_GRACE_SECONDS: '0',
    LOG_LEVEL: 'silent',
    ...options.env,
  })
  const tributary: Tributary = await startTributary(config, { clock, logger: pino({ level: 'silent' }), connectors: options.connectors })
  const previousApiUrl = process.env.PLUGGY_API_URL
  process.env.PLUGGY_API_URL = tributary.url!
  const client = new PluggyClient({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret })

  /** A raw request with the test client's key (or another's). */
  async function control(method: string, path: string, body?: unknown, keys = CLIENT): Promise<{ status: number; body: any }> {
    const auth = await fetch(`${tributary.url}/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(keys) })
    const { apiKey } = (await auth.json()) as { apiKey: string }
    const response = await fetch(`${tributary.url}${path}`, {
      method,
      headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: response.status, body: await response.json() }
  }

  function settled(id: string, until: (item: Item) => boolean = finished): Promise<Item> {
    return vi.waitFor(
      async () => {
        const item = await client.fetchItem(id)
        expect(until(item)).toBe(true)
        return item
      },
      { timeout: 20_000, interval: 20 },
    )
  }

  async function connected(parameters: Record<string, string> = OK, connectorId = 0, webhookUrl?: string): Promise<Item> {
    const item = await client.createItem(connectorId, parameters, webhookUrl ? { webhookUrl } : undefined)
    return settled(item.id)
  }

  async function resync(id: string, parameters?: Record<string, string>): Promise<Item> {
    await client.updateItem(id, parameters)
    return settled(id)
  }

  async function stop(): Promise<void> {
    if (previousApiUrl === undefined) delete process.env.PLUGGY_API_URL
    else process.env.PLUGGY_API_URL = previousApiUrl
    await tributary.stop()
  }

  return { clock, tributary, client, control, settled, connected, resync, stop }
}

export type SandboxEngine = Awaited<ReturnType<typeof startSandboxEngine>>
