import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEngine, type TestEngine } from './support/harness.ts'

let engine: TestEngine
beforeAll(async () => {
  engine = await startTestEngine()
})
afterAll(() => engine?.stop())

describe('API documentation', () => {
  it('serves OpenAPI 3.1 generated from the route schemas, and renders it at /docs without a key or external assets', async () => {
    const spec = (await engine.request('GET', '/openapi.json')).body
    expect(spec.openapi).toMatch(/^3\.1/)
    for (const path of ['/auth', '/connectors', '/items', '/items/{id}', '/items/{id}/mfa', '/webhooks', '/events']) expect(spec.paths).toHaveProperty([path])
    const createItem = spec.paths['/items'].post
    expect(createItem.requestBody.content['application/json'].schema.properties).toHaveProperty('connectorId')

    const page = await engine.request('GET', '/docs')
    expect(page.status).toBe(200)
    expect(String(page.headers['content-type'])).toContain('text/html')
    const html = String(page.body)
    // Every script and stylesheet comes from this server.
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url).not.toMatch(/^(https?:)?\/\//)
    const init = await engine.request('GET', '/docs/static/swagger-initializer.js')
    expect(init.status).toBe(200)
  })
})
