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

  it('describes, for every operation, its 2xx answer and its errors in the error shape', async () => {
    const spec = (await engine.request('GET', '/openapi.json')).body
    const operations = Object.entries(spec.paths as Record<string, Record<string, { responses: Record<string, any> }>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, responses: operation.responses })),
    )
    expect(operations.length).toBeGreaterThan(30)
    for (const { name, responses } of operations) {
      const success = Object.entries(responses).filter(([status]) => status.startsWith('2'))
      expect(success.length, `${name} describes a 2xx answer`).toBeGreaterThan(0)
      for (const [status, response] of success) {
        expect(response.description, `${name} ${status} says what it answers`).not.toBe('Default Response')
        const [content] = Object.values(response.content ?? {}) as { schema?: unknown }[]
        expect(content?.schema, `${name} ${status} has a schema`).toBeDefined()
      }
      const errors = Object.entries(responses).filter(([status]) => /^[45]/.test(status))
      expect(
        errors.map(([status]) => status),
        `${name} may fail with a bug`,
      ).toContain('500')
      for (const [status, response] of errors) {
        const schema = response.content['application/json'].schema
        expect(schema.required, `${name} ${status} is the error shape`).toEqual(['code', 'message', 'codeDescription'])
        expect(schema.properties.codeDescription.enum.length, `${name} ${status} lists its codes`).toBeGreaterThan(0)
      }
    }
  })
})
