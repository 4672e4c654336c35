import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  path: string
  body: any
  raw: string
  signature: string | undefined
}

/** A real HTTP server that records every webhook it receives and answers 200. */
export class WebhookReceiver {
  readonly received: Received[] = []
  private server: http.Server | undefined
  private base = ''

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => {
      let raw = ''
      request.on('data', (chunk) => (raw += chunk))
      request.on('end', () => {
        let body: unknown = raw
        try {
          body = JSON.parse(raw)
        } catch {}
        const signature = request.headers['x-tributary-signature']
        this.received.push({ path: new URL(request.url ?? '/', 'http://receiver').pathname, body, raw, signature: Array.isArray(signature) ? signature[0] : signature })
        response.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  /** A URL of its own for one test, so tests never see each other's requests. */
  url(path: string): string {
    return `${this.base}/${path}`
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === `/${path}`)
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}
