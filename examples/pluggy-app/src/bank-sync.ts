/**
 * The application under test: a small piece of a fintech back end. It connects a user's bank
 * through the Pluggy API, reads the accounts and their balance, and keeps what its webhook
 * endpoint receives — the part of an application that reacts when an item syncs by itself or
 * its credentials stop working.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PluggyClient } from 'pluggy-sdk'

/** What the application's webhook endpoint received. */
export interface ReceivedEvent {
  event: string
  itemId?: string
  triggeredBy?: string
  error?: { code: string; message: string }
}

/** The application's webhook endpoint: an HTTP server that keeps every event it is sent. */
export class WebhookInbox {
  readonly events: ReceivedEvent[] = []
  private server: Server | undefined

  async listen(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        this.events.push(JSON.parse(body) as ReceivedEvent)
        response.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/pluggy`
  }

  /** The events of one item, by name, in the order they arrived. */
  of(itemId: string): string[] {
    return this.events.filter((e) => e.itemId === itemId).map((e) => e.event)
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}

/**
 * A Pluggy client for `apiUrl` (pluggy-sdk reads the address from PLUGGY_API_URL when the client
 * is made; in production it is left unset, which means Pluggy itself).
 */
export function pluggyClient(apiUrl: string, credentials: { clientId: string; clientSecret: string }): PluggyClient {
  process.env.PLUGGY_API_URL = apiUrl
  return new PluggyClient(credentials)
}

/** Connects a user's bank and answers the item id. */
export async function connectBank(pluggy: PluggyClient, connectorId: number, credentials: Record<string, string>, webhookUrl: string): Promise<string> {
  const item = await pluggy.createItem(connectorId, credentials, { webhookUrl, clientUserId: 'customer-42' })
  return item.id
}

/** The user's total balance across the item's accounts, as the app shows it. */
export async function totalBalance(pluggy: PluggyClient, itemId: string): Promise<number> {
  const { results } = await pluggy.fetchAccounts(itemId)
  return results.reduce((sum, account) => sum + account.balance, 0)
}
