/**
 * The Connect page's calls to the API, all with the connect token in X-API-KEY (SPEC §3.1), and
 * the live view of one item: its event stream (SSE), with polling while the stream is down.
 * Credentials travel only in request bodies; nothing here logs or stores them.
 */
import type { Item, ItemState } from './types.ts'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { parameter?: string; message?: string }[] = [],
    readonly data: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export class Api {
  /** Server time minus this browser's time, from the Date header of the last answer (ms). */
  clockOffsetMs = 0

  constructor(private readonly token: string) {}

  get connectToken(): string {
    return this.token
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response
    try {
      response = await fetch(path, {
        method,
        headers: { 'x-api-key': this.token, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      })
    } catch {
      throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached.')
    }
    // The Date header has whole seconds: only a clearly wrong browser clock is corrected.
    const date = response.headers.get('date')
    if (date && !Number.isNaN(Date.parse(date))) {
      const offset = Date.parse(date) + 500 - Date.now()
      this.clockOffsetMs = Math.abs(offset) > 2000 ? offset : 0
    }
    let payload: any = null
    try {
      payload = await response.json()
    } catch {
      payload = null
    }
    if (!response.ok) {
      throw new ApiError(
        response.status,
        typeof payload?.codeDescription === 'string' ? payload.codeDescription : `HTTP_${response.status}`,
        typeof payload?.message === 'string' ? payload.message : response.statusText,
        Array.isArray(payload?.details) ? payload.details : [],
        payload?.data && typeof payload.data === 'object' ? payload.data : {},
      )
    }
    return payload as T
  }

  /** Server time now, as this browser best knows it. */
  serverNow(): number {
    return Date.now() + this.clockOffsetMs
  }
}

export interface LiveUpdate {
  state: ItemState
  /** The execution the state belongs to, when the stream told it (polling does not). */
  executionId: string | null
  via: 'stream' | 'poll' | 'answer'
}

export interface LiveHandlers {
  /** The item's newest state, in order (never older than one already delivered). */
  onUpdate(update: LiveUpdate): void
  /** Every read of the item (GET /items/{id}), whatever its age. */
  onItem(item: Item): void
}

/**
 * Follows one item from `since` (the `updatedAt` of the create/update answer, which is also the time
 * of the new execution's first status event): the stream replays the item's whole history, so
 * status events older than that belong to earlier executions and are skipped. Later executions
 * (device-authorization follow-ups) are followed too. Each status event is followed by a read of
 * the item (one at a time: events that arrive during a read share the next one), so the host hears
 * the whole item at every step. While the stream is down (or the browser has no EventSource), the
 * item is polled; a watchdog polls now and then even when the stream is up.
 */
export class LiveItem {
  private source: EventSource | null = null
  private pollTimer: ReturnType<typeof setInterval> | null = null
  private watchdog: ReturnType<typeof setInterval> | null = null
  private lastAt = ''
  private lastKey = ''
  private lastNewsAt = Date.now()
  private stopped = false
  private reading = false
  private readAgain = false

  constructor(
    private readonly api: Api,
    private readonly itemId: string,
    private readonly since: string,
    private readonly handlers: LiveHandlers,
    private readonly options: { pollMs?: number; watchdogMs?: number; useStream?: boolean } = {},
  ) {}

  start(): void {
    if (this.stopped) return
    const pollMs = this.options.pollMs ?? 1500
    if (this.options.useStream !== false && typeof EventSource === 'function') this.openStream()
    else this.startPolling(pollMs)
    this.watchdog = setInterval(() => {
      if (Date.now() - this.lastNewsAt > (this.options.watchdogMs ?? 8000)) void this.read()
    }, 2000)
  }

  stop(): void {
    this.stopped = true
    this.source?.close()
    this.source = null
    if (this.pollTimer) clearInterval(this.pollTimer)
    if (this.watchdog) clearInterval(this.watchdog)
    this.pollTimer = null
    this.watchdog = null
  }

  private openStream(): void {
    const url = `/items/${encodeURIComponent(this.itemId)}/events?connectToken=${encodeURIComponent(this.api.connectToken)}`
    const source = new EventSource(url)
    this.source = source
    source.addEventListener('open', () => this.stopPolling())
    source.addEventListener('item/status', (message) => {
      this.stopPolling()
      let data: any
      try {
        data = JSON.parse((message as MessageEvent<string>).data)
      } catch {
        return
      }
      if (typeof data?.createdAt !== 'string' || data.createdAt < this.since) return
      this.deliver(
        { status: data.status, executionStatus: data.executionStatus, error: data.error ?? null, parameter: data.parameter ?? null, userAction: data.userAction ?? null },
        data.createdAt,
        data.executionId ?? null,
        'stream',
      )
      void this.read()
    })
    source.addEventListener('item/deleted', () => {
      source.close()
      this.startPolling(this.options.pollMs ?? 1500)
    })
    source.addEventListener('error', () => {
      if (this.stopped) return
      // CONNECTING: the browser reconnects by itself (resuming with Last-Event-ID); poll meanwhile.
      // CLOSED: the server refused the stream; polling alone from now on.
      this.startPolling(this.options.pollMs ?? 1500)
    })
  }

  private startPolling(pollMs: number): void {
    if (this.pollTimer || this.stopped) return
    void this.read()
    this.pollTimer = setInterval(() => void this.read(), pollMs)
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer)
    this.pollTimer = null
  }

  /** Reads the item; a read asked for while one is under way happens right after it. */
  private async read(): Promise<void> {
    if (this.stopped) return
    if (this.reading) {
      this.readAgain = true
      return
    }
    this.reading = true
    try {
      const item = await this.api.request<Item>('GET', `/items/${encodeURIComponent(this.itemId)}`)
      this.lastNewsAt = Date.now()
      if (this.stopped) return
      this.handlers.onItem(item)
      if (item.updatedAt >= this.since) this.deliver(item, item.updatedAt, null, 'poll')
    } catch {
      // The next read or the stream will tell.
    } finally {
      this.reading = false
      if (this.readAgain && !this.stopped) {
        this.readAgain = false
        void this.read()
      }
    }
  }

  /** A state the page learnt otherwise (the answer to a create, update or MFA call): ordered with the rest. */
  offer(item: Item): void {
    this.deliver(item, item.updatedAt, null, 'answer')
  }

  private deliver(state: ItemState, at: string, executionId: string | null, via: LiveUpdate['via']): void {
    if (this.stopped) return
    this.lastNewsAt = Date.now()
    // Answers and polls may arrive after the stream told something newer: never move backwards.
    if (at < this.lastAt) return
    const key = `${state.status}|${state.executionStatus}|${state.parameter?.name ?? ''}`
    // The same instant again (a poll repeating what the stream said): nothing new.
    if (at === this.lastAt && via !== 'stream' && key === this.lastKey) return
    this.lastAt = at
    this.lastKey = key
    this.handlers.onUpdate({ state, executionId, via })
  }
}
