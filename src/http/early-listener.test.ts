import { afterEach, describe, expect, it } from 'vitest'
import { listenEarly, listensEarlyOn, recentAnswers, type EarlyListener } from './early-listener.ts'

let listener: EarlyListener | undefined
afterEach(async () => {
  await listener?.close()
  listener = undefined
})

describe('the early listener', () => {
  it('answers GET /health once the database answers, and holds every other request until the API takes over', async () => {
    listener = await listenEarly({ port: 0, host: '127.0.0.1', databaseAnswers: async () => true })
    const base = `http://127.0.0.1:${listener.port}`

    const health = await fetch(`${base}/health`)
    expect(health.status).toBe(200)
    expect(health.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await health.json()).toEqual({ status: 'ok' })

    let answered = false
    const early = fetch(`${base}/items?page=2`, { method: 'POST', body: 'held body' }).then(async (reply) => {
      answered = true
      return { status: reply.status, body: await reply.text() }
    })
    // A request that arrives before the API is built is not refused: it waits, then the API answers it.
    await expect.poll(() => listener!.held()).toBe(1)
    expect(answered).toBe(false)
    listener.handOver((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => response.end(`${request.method} ${request.url} ${body}`))
    })
    expect(await early).toEqual({ status: 200, body: 'POST /items?page=2 held body' })
    // From then on the API answers everything, /health included.
    expect(await (await fetch(`${base}/health`)).text()).toBe('GET /health ')
  })

  it('leaves GET /health to the API while the database does not answer', async () => {
    listener = await listenEarly({ port: 0, host: '127.0.0.1', databaseAnswers: async () => false })
    const reply = fetch(`http://127.0.0.1:${listener.port}/health`).then((r) => r.text())
    await expect.poll(() => listener!.held()).toBe(1)
    listener.handOver((_request, response) => response.end('from the API'))
    expect(await reply).toBe('from the API')
  })

  it('listens early only on one address (a name may stand for several, which the API binds itself)', () => {
    expect(listensEarlyOn('0.0.0.0')).toBe(true)
    expect(listensEarlyOn('::')).toBe(true)
    expect(listensEarlyOn('localhost')).toBe(false)
  })

  it('trusts the database’s last answer for a while: a probe then asks nothing; after it, or after a failure, it asks again', async () => {
    let now = 0
    let asked = 0
    let up = true
    const probe = async () => {
      asked++
      return up
    }
    const answers = recentAnswers(probe, 1_000, () => now)
    expect(await answers()).toBe(true)
    now = 999
    expect(await answers()).toBe(true)
    expect(asked).toBe(1)
    now = 1_000
    up = false
    expect(await answers()).toBe(false)
    expect(await answers()).toBe(false)
    expect(asked).toBe(3)
    up = true
    expect(await answers()).toBe(true)
    expect(asked).toBe(4)
  })
})
