/**
 * The server's socket, open as soon as the database answers, before the API is built.
 *
 * Building the API (loading its modules, registering and compiling its routes) and starting the
 * workers take most of a start; an operator's health check, a container orchestrator or a test
 * harness waiting for `GET /health` need none of it. So `tributary serve` listens once its
 * database answers (before its migrations run): `GET /health` (what it says is already true — the process is up
 * and its database answers) is answered at once, and every other request waits, unread, until
 * the API takes over the socket and answers it as usual. No request is refused for being early.
 */
import http from 'node:http'
import { isIP } from 'node:net'

export type RequestHandler = (request: http.IncomingMessage, response: http.ServerResponse) => void

export interface EarlyListener {
  server: http.Server
  /** The port it listens on (the configured one, or the one the system chose for port 0). */
  port: number
  /** Requests waiting for the API. */
  held(): number
  /** The API answers from now on, beginning with the requests that waited for it. */
  handOver(handler: RequestHandler): void
  close(): Promise<void>
}

/** Fastify's keep-alive timeout, which the API's server had before it listened early. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000
const HEALTH_BODY = JSON.stringify({ status: 'ok' })

/**
 * A database probe that trusts an answer for `windowMs`: while the migrations run on a new
 * embedded database, a `select 1` waits behind their statements on its one connection, and an
 * answer given a moment ago says as much about the database as a new one.
 */
export function recentAnswers(probe: () => Promise<boolean>, windowMs: number, now: () => number = () => performance.now()): () => Promise<boolean> {
  let answeredAt = Number.NEGATIVE_INFINITY
  return async () => {
    if (now() - answeredAt < windowMs) return true
    const answers = await probe()
    if (answers) answeredAt = now()
    return answers
  }
}

/** Whether `host` is one address (a name such as `localhost` may stand for several; the API binds each itself). */
export function listensEarlyOn(host: string): boolean {
  return isIP(host) !== 0
}

export async function listenEarly(options: { port: number; host: string; databaseAnswers: () => Promise<boolean> }): Promise<EarlyListener> {
  let handler: RequestHandler | undefined
  const waiting: [http.IncomingMessage, http.ServerResponse][] = []
  const server = http.createServer({ requestTimeout: 0 }, (request, response) => {
    if (handler) return handler(request, response)
    if (isHealthProbe(request)) {
      void options.databaseAnswers().then(
        (answers) => (answers ? answerHealthy(request, response) : waitOrHandle(request, response)),
        () => waitOrHandle(request, response),
      )
      return
    }
    waiting.push([request, response])
  })
  // A probe while the database does not answer gets the API's own answer (with its error shape).
  const waitOrHandle = (request: http.IncomingMessage, response: http.ServerResponse) => (handler ? handler(request, response) : waiting.push([request, response]))
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port: options.port, host: options.host }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  return {
    server,
    port: typeof address === 'object' && address ? address.port : options.port,
    held: () => waiting.length,
    handOver(api) {
      handler = api
      for (const [request, response] of waiting.splice(0)) api(request, response)
    },
    async close() {
      for (const [, response] of waiting.splice(0)) response.destroy()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
    },
  }
}

function isHealthProbe(request: http.IncomingMessage): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false
  const path = (request.url ?? '').split('?')[0]
  return path === '/health' || path === '/health/'
}

/** The API's own 200 answer to GET /health, byte for byte. */
function answerHealthy(request: http.IncomingMessage, response: http.ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(HEALTH_BODY) })
  response.end(request.method === 'HEAD' ? undefined : HEALTH_BODY)
}
