/**
 * What the Connect page tells the page that embeds it (through connect.js): events, success,
 * error and close, by postMessage to the embedder's origin only. Messages carry ids, statuses and
 * the institution; never a credential or MFA value.
 */

export const MESSAGE_SOURCE = 'tributary-connect'

export const CONNECT_EVENTS = [
  'OPEN',
  'SELECTED_INSTITUTION',
  'SUBMITTED_LOGIN',
  'ITEM_RESPONSE',
  'LOGIN_SUCCESS',
  'WAITING_USER_INPUT',
  'SUBMITTED_MFA',
  'LOGIN_MFA_SUCCESS',
  'WAITING_USER_ACTION',
  'STEP_CHANGED',
  'CONNECTION_SUCCESS',
  'CONNECTION_ERROR',
  'CLOSE',
] as const
export type ConnectEventName = (typeof CONNECT_EVENTS)[number]

export interface ConnectEvent {
  event: ConnectEventName
  timestamp: number
  connector?: { id: number; name: string }
  item?: unknown
  step?: string
  error?: { code: string; message: string }
}

export type ConnectMessage =
  | { source: typeof MESSAGE_SOURCE; type: 'EVENT'; payload: ConnectEvent }
  | { source: typeof MESSAGE_SOURCE; type: 'SUCCESS'; payload: { item: unknown } }
  | { source: typeof MESSAGE_SOURCE; type: 'ERROR'; payload: { message: string; item: unknown } }
  | { source: typeof MESSAGE_SOURCE; type: 'CLOSE'; payload: Record<string, never> }

export class Messenger {
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

  event(event: ConnectEventName, extra: Omit<ConnectEvent, 'event' | 'timestamp'> = {}): void {
    this.post({ source: MESSAGE_SOURCE, type: 'EVENT', payload: { event, timestamp: Date.now(), ...extra } })
  }

  success(item: unknown): void {
    this.post({ source: MESSAGE_SOURCE, type: 'SUCCESS', payload: { item } })
  }

  error(message: string, item: unknown): void {
    this.post({ source: MESSAGE_SOURCE, type: 'ERROR', payload: { message, item } })
  }

  close(): void {
    this.event('CLOSE')
    this.post({ source: MESSAGE_SOURCE, type: 'CLOSE', payload: {} })
  }
}
