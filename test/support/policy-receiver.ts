import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { systemClock, type Clock } from '../../src/time/clock.ts'

export interface Received {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  /** The raw body, exactly as received (what the signature covers). */
  body: string
  json: any
  /** 1-based: how many requests for this path and eventId arrived so far, this one included. */
  attempt: number
  /** What the receiver answered; 0 when the sender had hung up before the (delayed) answer. */
  status: number
}

/** A status, or a status with headers and an optional delay (on the receiver's clock) before answering. */
export type Answer = number | { status: number; headers?: Record<string, string>; delayMs?: number }
export type Policy = (request: Omit<Received, 'status'>) => Answer

/**
 * A webhook receiver for tests: a real node:http server on 127.0.0.1 that records every request
 * and answers each path per a policy (a status, headers, a delayed answer).
 */
export class PolicyReceiver {
  readonly requests: Received[] = []
  /** Delayed answers not given yet whose sender is still connected (it waits for them). */
  holding = 0
  private readonly policies = new Map<string, Policy>()
  private server: http.Server | null = null
  port = 0

  /** `clock` times the delayed answers: the engine's ManualClock holds them until the test moves it. */
  constructor(private readonly clock: Pick<Clock, 'setTimeout'> = systemClock) {}

  async start(port = 0): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        let json: any = null
        try {
          json = JSON.parse(body)
        } catch {}
        const urlPath = new URL(req.url ?? '/', 'http://receiver').pathname
        const attempt = this.requests.filter((r) => r.path === urlPath && json?.eventId && r.json?.eventId === json.eventId).length + 1
        const seen = { method: req.method ?? '', path: urlPath, headers: req.headers, body, json, attempt }
        let answer: Answer = 200
        try {
          answer = (this.policies.get(urlPath) ?? (() => 200))(seen)
        } catch {
          answer = 500
        }
        const { status, headers, delayMs } = typeof answer === 'number' ? { status: answer, headers: {}, delayMs: 0 } : { headers: {}, delayMs: 0, ...answer }
        const record: Received = { ...seen, status }
        this.requests.push(record)
        const reply = () => {
          if (res.destroyed || req.socket.destroyed) {
            record.status = 0
            return
          }
          res.writeHead(status, { 'content-type': 'text/plain', ...headers })
          res.end(status >= 200 && status < 300 ? 'ok' : 'no')
        }
        if (delayMs) {
          // Answered only if the sender is still connected by then.
          record.status = 0
          let held = true
          const release = () => {
            if (held) this.holding--
            held = false
          }
          this.holding++
          res.once('close', release)
          this.clock.setTimeout(() => {
            release()
            record.status = status
            reply()
          }, delayMs)
        } else reply()
      })
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
    this.server = server
    this.port = (server.address() as AddressInfo).port
  }

  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = null
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  url(urlPath: string): string {
    return `http://127.0.0.1:${this.port}${urlPath}`
  }

  setPolicy(urlPath: string, policy: Policy): void {
    this.policies.set(urlPath, policy)
  }

  /** Requests received on a path, optionally only those about one item. */
  at(urlPath: string, itemId?: string): Received[] {
    return this.requests.filter((r) => r.path === urlPath && (itemId === undefined || r.json?.itemId === itemId))
  }

  /** The events acknowledged (answered 2xx) on a path for an item, in order of first acknowledgement. */
  acked(urlPath: string, itemId: string): Received[] {
    const seen = new Set<string>()
    const out: Received[] = []
    for (const r of this.at(urlPath, itemId)) {
      if (r.status < 200 || r.status >= 300 || seen.has(r.json.eventId)) continue
      seen.add(r.json.eventId)
      out.push(r)
    }
    return out
  }
}
