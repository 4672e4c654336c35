/**
 * The host of connect.js (overlay iframe or popup): events, success, error and close, by
 * postMessage to the embedder's origin only, in connect.js's own format. Messages carry ids,
 * statuses and the institution; never a credential or MFA value.
 */
import type { ConnectEventName, HostMessage } from '../flow/state.ts'
import type { Connector, Item } from '../types.ts'
import type { Host } from './host.ts'

export const MESSAGE_SOURCE = 'tributary-connect'

export interface ConnectEvent {
  event: ConnectEventName
  timestamp: number
  connector?: { id: number; name: string } | null
  item?: ItemSummary | null
  step?: string
  error?: { code: string; message: string }
}

export type ConnectMessage =
  | { source: typeof MESSAGE_SOURCE; type: 'EVENT'; payload: ConnectEvent }
  | { source: typeof MESSAGE_SOURCE; type: 'SUCCESS'; payload: { item: ItemSummary | null } }
  | { source: typeof MESSAGE_SOURCE; type: 'ERROR'; payload: { message: string; item: ItemSummary | null } }
  | { source: typeof MESSAGE_SOURCE; type: 'CLOSE'; payload: Record<string, never> }

export type ItemSummary = ReturnType<typeof summary>

/** The item as connect.js's host sees it: no credentials exist in it, but keep it small anyway. */
export function summary(item: Item | null) {
  if (!item) return null
  return {
    id: item.id,
    status: item.status,
    executionStatus: item.executionStatus,
    error: item.error,
    connector: item.connector ? { id: item.connector.id, name: item.connector.name } : null,
    statusDetail: item.statusDetail,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    lastUpdatedAt: item.lastUpdatedAt,
    clientUserId: item.clientUserId,
  }
}

const institution = (connector: Connector | null) => (connector ? { id: connector.id, name: connector.name } : null)

export class PostMessageHost implements Host {
  constructor(
    private readonly target: Window | null,
    private readonly targetOrigin: string | null,
  ) {}

  /** The page is embedded and knows where to send messages. */
  get embedded(): boolean {
    return this.target !== null && this.targetOrigin !== null
  }

  private post(message: ConnectMessage): void {
    if (!this.target || !this.targetOrigin) return
    this.target.postMessage(message, this.targetOrigin)
  }

  send(message: HostMessage): void {
    switch (message.type) {
      case 'event': {
        const { event, connector, item, step, error } = message
        const payload: ConnectEvent = { event, timestamp: Date.now() }
        if (connector !== undefined) payload.connector = institution(connector)
        if (item !== undefined) payload.item = summary(item)
        if (step !== undefined) payload.step = step
        if (error !== undefined) payload.error = error
        return this.post({ source: MESSAGE_SOURCE, type: 'EVENT', payload })
      }
      case 'success':
        return this.post({ source: MESSAGE_SOURCE, type: 'SUCCESS', payload: { item: summary(message.item) } })
      case 'error':
        return this.post({ source: MESSAGE_SOURCE, type: 'ERROR', payload: { message: message.message, item: summary(message.item) } })
      case 'hide':
        // connect.js has no background mode: nothing to tell.
        return
      case 'close':
        return this.post({ source: MESSAGE_SOURCE, type: 'CLOSE', payload: {} })
      default:
        throw new Error(`unexpected host message ${JSON.stringify(message satisfies never)}`)
    }
  }
}
