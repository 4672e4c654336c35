import { PluggyClient } from 'pluggy-sdk'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { startTributary, type Tributary } from '../src/main.ts'
import { CLIENT, OTHER_CLIENT } from './support/harness.ts'
import { refusal } from './payments/payment-support.ts'

// The parties of payments through the unmodified pluggy-sdk 0.90.0 (`client.payments`, methods
// 8–19 of docs/payments.md): customers, recipients by bank account or by Pix key, institutions.

let tributary: Tributary
let client: PluggyClient
let other: PluggyClient
let previousApiUrl: string | undefined

beforeAll(async () => {
  const config = loadConfig({
    TRIBUTARY_DATA_DIR: ':memory:',
    PORT: '0',
    HOST: '127.0.0.1',
    TRIBUTARY_CLIENT_ID: CLIENT.clientId,
    TRIBUTARY_CLIENT_SECRET: CLIENT.clientSecret,
    TRIBUTARY_CLIENTS: `${OTHER_CLIENT.clientId}:${OTHER_CLIENT.clientSecret}`,
    LOG_LEVEL: 'silent',
  })
  tributary = await startTributary(config, { logger: pino({ level: 'silent' }) })
  previousApiUrl = process.env.PLUGGY_API_URL
  process.env.PLUGGY_API_URL = tributary.url!
  client = new PluggyClient({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret })
  other = new PluggyClient({ clientId: OTHER_CLIENT.clientId, clientSecret: OTHER_CLIENT.clientSecret })
})
afterAll(async () => {
  if (previousApiUrl === undefined) delete process.env.PLUGGY_API_URL
  else process.env.PLUGGY_API_URL = previousApiUrl
  await tributary?.stop()
})

describe('payment institutions, customers and recipients through pluggy-sdk', () => {
  it('lists institutions by name and fetches one', async () => {
    const all = await client.payments.fetchPaymentInstitutions({ pageSize: 500 } as never)
    expect(all.total).toBeGreaterThan(3)
    const itau = await client.payments.fetchPaymentInstitutions({ name: 'itaú' } as never)
    expect(itau.results.map((i) => i.compe)).toEqual(['341'])
    const one = await client.payments.fetchPaymentInstitution(itau.results[0].id)
    expect([one.ispb, one.createdAt instanceof Date]).toEqual(['60701190', true])
  })

  it('creates, reads, changes and deletes a customer; another client cannot see it', async () => {
    const created = await client.payments.createPaymentCustomer({ name: 'Ana Souza', email: 'ana@example.com', cpf: '529.982.247-25', cnpj: undefined as never, type: 'INDIVIDUAL' })
    expect(created).toMatchObject({ name: 'Ana Souza', cpf: '52998224725', cnpj: null, type: 'INDIVIDUAL', connector: null })
    expect(created.createdAt).toBeInstanceOf(Date)
    expect((await client.payments.fetchPaymentCustomer(created.id)).email).toBe('ana@example.com')
    expect((await client.payments.fetchPaymentCustomers()).results.map((c) => c.id)).toContain(created.id)
    const changed = await client.payments.updatePaymentCustomer(created.id, { name: 'Ana S. Souza' })
    expect([changed.name, changed.cpf]).toEqual(['Ana S. Souza', '52998224725'])
    expect(await refusal(other.payments.fetchPaymentCustomer(created.id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_CUSTOMER_NOT_FOUND' })
    await client.payments.deletePaymentCustomer(created.id)
    expect(await refusal(client.payments.fetchPaymentCustomer(created.id))).toMatchObject({ code: 404 })
  })

  it('refuses a customer whose tax number is wrong, naming the field', async () => {
    const refused = await refusal(client.payments.createPaymentCustomer({ name: 'Bia', email: 'bia@example.com', cpf: '111.111.111-12', cnpj: undefined as never, type: 'INDIVIDUAL' }))
    expect(refused).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR' })
    expect((refused as { message: string }).message).toMatch(/cpf is not a valid CPF/)
    const business = await refusal(client.payments.createPaymentCustomer({ name: 'Loja', email: 'loja@example.com', cpf: undefined as never, cnpj: undefined as never, type: 'BUSINESS' }))
    expect((business as { message: string }).message).toMatch(/needs a cnpj/)
  })

  it('creates recipients by bank account and by Pix key; the default moves; a recipient is deleted', async () => {
    const [institution] = (await client.payments.fetchPaymentInstitutions({ name: 'bradesco' } as never)).results
    const first = await client.payments.createPaymentRecipient({
      name: 'Loja da Esquina',
      taxNumber: '11.222.333/0001-81',
      paymentInstitutionId: institution.id,
      isDefault: true,
      account: { type: 'CHECKING_ACCOUNT', number: '12345-6', branch: '0001' },
    })
    expect(first).toMatchObject({ taxNumber: '11222333000181', isDefault: true, account: { type: 'CHECKING_ACCOUNT', number: '123456', branch: '0001' } })
    expect(first.paymentInstitution.id).toBe(institution.id)

    const byKey = await client.payments.createPaymentRecipient({ pixKey: '529.982.247-25' })
    const again = await client.payments.createPaymentRecipient({ pixKey: '52998224725' })
    expect(byKey.taxNumber).toBe('52998224725')
    // The sandbox's Pix directory answers the same owner and account for the same key.
    expect([again.account, again.paymentInstitution.id]).toEqual([byKey.account, byKey.paymentInstitution.id])

    const promoted = await client.payments.updatePaymentRecipient(byKey.id, { name: byKey.name, taxNumber: byKey.taxNumber, isDefault: true })
    expect(promoted.isDefault).toBe(true)
    expect((await client.payments.fetchPaymentRecipient(first.id)).isDefault).toBe(false)

    const badKey = await refusal(client.payments.createPaymentRecipient({ pixKey: 'not a key' }))
    expect(badKey).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR' })
    await client.payments.deletePaymentRecipient(again.id)
    expect(await refusal(client.payments.fetchPaymentRecipient(again.id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_RECIPIENT_NOT_FOUND' })
    expect((await other.payments.fetchPaymentRecipients()).total).toBe(0)
  })
})
