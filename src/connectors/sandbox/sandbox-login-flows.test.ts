import { describe, expect, it } from 'vitest'
import { isValidCnpj } from './data/brazilian-documents.ts'
import { SANDBOX_AUTHORIZATION_INSTRUCTIONS, SANDBOX_QR_INSTRUCTIONS, createSandboxConnectors } from './sandbox-connectors.ts'
import { AuthorizationRequested, creds, makeContext, outcomeOf, run } from './sandbox-test-context.ts'

// Connectors 1–4: the login flows (1-step MFA, 2-step MFA, app authorization, trusted device).
const [, mfa1, mfa2, appAuth, trusted, business, joint, qr] = createSandboxConnectors({ delayMs: 0 })

describe('connector 1 (MFA 1-step)', () => {
  it('accepts token 123456 with the right password', async () => {
    expect(await outcomeOf(mfa1.login(makeContext({ credentials: creds('user-ok', { token: '123456' }) })))).toBe('LOGGED_IN')
  })
  it('rejects a wrong or missing token with INVALID_CREDENTIALS_MFA', async () => {
    for (const token of ['654321', '12345', '', undefined]) {
      const credentials = token === undefined ? creds('user-ok') : creds('user-ok', { token })
      expect(await outcomeOf(mfa1.login(makeContext({ credentials })))).toBe('INVALID_CREDENTIALS_MFA')
    }
  })
  it('checks the password first', async () => {
    const ctx = makeContext({ credentials: { user: 'user-ok', password: 'nope', token: '000000' } })
    expect(await outcomeOf(mfa1.login(ctx))).toBe('INVALID_CREDENTIALS')
  })
  it('runs the scenarios once the token is right', async () => {
    expect(await outcomeOf(mfa1.login(makeContext({ credentials: creds('user-locked', { token: '123456' }) })))).toBe('ACCOUNT_LOCKED')
    expect(await outcomeOf(mfa1.login(makeContext({ credentials: creds('nobody', { token: '123456' }) })))).toBe('INVALID_CREDENTIALS')
  })
  it('never asks the user', async () => {
    const ctx = makeContext({ credentials: creds('user-ok', { token: '123456' }) })
    await run(mfa1, ctx)
    expect(ctx.asked).toEqual([])
  })
})

describe('connector 2 (MFA 2-step)', () => {
  it('asks for token after the password and accepts 123456', async () => {
    const ctx = makeContext({ credentials: creds('user-ok'), answer: '123456' })
    const data = await run(mfa2, ctx)
    expect(ctx.asked).toHaveLength(1)
    expect(ctx.asked[0]).toMatchObject({ name: 'token', type: 'number', placeholder: '123456', validation: '^\\d{6}$' })
    expect(ctx.asked[0].label).toBeTruthy()
    expect(ctx.asked[0].validationMessage).toBeTruthy()
    expect(ctx.asked[0].assistiveText).toBeTruthy()
    expect(data.transactions.length).toBeGreaterThan(0)
  })
  it('ends INVALID_CREDENTIALS_MFA on a wrong code', async () => {
    const ctx = makeContext({ credentials: creds('user-ok'), answer: '000000' })
    expect(await outcomeOf(mfa2.login(ctx))).toBe('INVALID_CREDENTIALS_MFA')
    expect(ctx.asked.map((r) => r.name)).toEqual(['token'])
  })
  it('does not ask when the password or the scenario fails', async () => {
    const wrong = makeContext({ credentials: { user: 'user-ok', password: 'x' }, answer: '123456' })
    expect(await outcomeOf(mfa2.login(wrong))).toBe('INVALID_CREDENTIALS')
    const locked = makeContext({ credentials: creds('user-locked'), answer: '123456' })
    expect(await outcomeOf(mfa2.login(locked))).toBe('ACCOUNT_LOCKED')
    expect([...wrong.asked, ...locked.asked]).toEqual([])
  })
  it('asks even when a device would be trusted (no trusted-device capability)', async () => {
    const ctx = makeContext({ credentials: creds('user-ok'), answer: '123456', deviceTrusted: true })
    await mfa2.login(ctx)
    expect(ctx.asked).toHaveLength(1)
  })
  it('lets a rejected askUser (timeout, cancellation) propagate', async () => {
    const ctx = makeContext({ credentials: creds('user-ok') })
    await expect(mfa2.login(ctx)).rejects.toThrow(/unexpected askUser/)
  })
})

describe('connector 4 (trusted device)', () => {
  it('asks for token on the first execution', async () => {
    const ctx = makeContext({ credentials: creds('user-ok'), answer: '123456' })
    expect(await outcomeOf(trusted.login(ctx))).toBe('LOGGED_IN')
    expect(ctx.asked.map((r) => r.name)).toEqual(['token'])
    const wrong = makeContext({ credentials: creds('user-ok'), answer: '999999' })
    expect(await outcomeOf(trusted.login(wrong))).toBe('INVALID_CREDENTIALS_MFA')
  })
  it('skips askUser once the device is trusted', async () => {
    const ctx = makeContext({ credentials: creds('user-ok'), deviceTrusted: true })
    const data = await run(trusted, ctx)
    expect(ctx.asked).toEqual([])
    expect(data.accounts.length).toBe(2)
  })
  it('still checks the password and the scenario on a trusted device', async () => {
    expect(await outcomeOf(trusted.login(makeContext({ credentials: { user: 'user-ok', password: 'x' }, deviceTrusted: true })))).toBe('INVALID_CREDENTIALS')
    expect(await outcomeOf(trusted.login(makeContext({ credentials: creds('user-error'), deviceTrusted: true })))).toBe('ERROR')
  })
})

describe('connector 3 (app authorization)', () => {
  const attempt = (user: string, pendingExecutions: number | null) => outcomeOf(appAuth.login(makeContext({ credentials: creds(user), pendingExecutions })))

  it('user-auth-pending-2: pending on executions 1 and 2, authorized on the 3rd', async () => {
    expect(await attempt('user-auth-pending-2', null)).toBe('PENDING')
    expect(await attempt('user-auth-pending-2', 0)).toBe('PENDING')
    expect(await attempt('user-auth-pending-2', 1)).toBe('PENDING')
    expect(await attempt('user-auth-pending-2', 2)).toBe('LOGGED_IN')
    expect(await attempt('user-auth-pending-2', 3)).toBe('LOGGED_IN')
  })

  it('user-auth-pending-0 logs in at once', async () => {
    expect(await attempt('user-auth-pending-0', null)).toBe('LOGGED_IN')
  })

  it('user-ok behaves as user-auth-pending-1', async () => {
    expect(await attempt('user-ok', null)).toBe('PENDING')
    expect(await attempt('user-ok', 1)).toBe('LOGGED_IN')
  })

  it('user-auth-denied is never authorized', async () => {
    for (const n of [null, 0, 1, 5, 100, 10_000]) expect(await attempt('user-auth-denied', n)).toBe('PENDING')
  })

  it('requests authorize-access (the reference’s type) with instructions; the engine sets the expiry', async () => {
    const error = await appAuth.login(makeContext({ credentials: creds('user-auth-pending-1') })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthorizationRequested)
    expect((error as AuthorizationRequested).userAction).toEqual({
      type: 'authorize-access',
      instructions: SANDBOX_AUTHORIZATION_INSTRUCTIONS,
      expiresAt: null,
    })
  })

  it('checks the password and scenario errors before asking for authorization', async () => {
    expect(await outcomeOf(appAuth.login(makeContext({ credentials: { user: 'user-auth-pending-1', password: 'x' } })))).toBe('INVALID_CREDENTIALS')
    expect(await attempt('user-locked', null)).toBe('ACCOUNT_LOCKED')
    expect(await attempt('user-unavailable', null)).toBe('SITE_NOT_AVAILABLE')
    expect(await attempt('nobody', null)).toBe('INVALID_CREDENTIALS')
  })

  it('other scenario users behave as on connector 0', async () => {
    expect(await attempt('user-ok-account-warning', null)).toBe('LOGGED_IN')
    const data = await run(appAuth, makeContext({ credentials: creds('user-ok-account-error') }))
    expect(data.failed).toEqual(['CREDIT_CARDS'])
  })

  it('collects data once authorized and never asks for a code', async () => {
    const ctx = makeContext({ credentials: creds('user-auth-pending-2'), pendingExecutions: 2 })
    const data = await run(appAuth, ctx)
    expect(ctx.asked).toEqual([])
    expect(data.accounts.length).toBe(2)
    expect(data.transactions.length).toBeGreaterThan(0)
  })
})

describe('connector 5 (business): a company’s accounts', () => {
  it('runs the basic scenarios and collects accounts, identity and payments of a company (CNPJ)', async () => {
    expect(await outcomeOf(business.login(makeContext({ credentials: creds('user-locked') })))).toBe('ACCOUNT_LOCKED')
    const data = await run(business, makeContext({ credentials: creds('user-ok') }))
    expect(data.failed).toEqual([])
    expect(data.identity).toMatchObject({ documentType: 'CNPJ', sex: null, birthDate: null })
    expect(isValidCnpj(data.identity!.document!)).toBe(true)
    expect(data.identity!.taxNumber).toBe(data.identity!.document)
    expect(data.identity!.parties!.length).toBeGreaterThan(0)
    expect(data.identity!.incorporationDate).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    for (const account of [...data.accounts, ...data.creditCards]) expect(account.taxNumber).toBe(data.identity!.document)
    expect(data.accounts[0].owner).toBe(data.identity!.fullName)
  })
})

describe('connector 6 (joint accounts): single or joint, confirmed with a code', () => {
  const attempt = (accountType: string, token: string) => outcomeOf(joint.login(makeContext({ credentials: creds('user-ok', { accountType, token }) })))

  it('a single account takes 123456 with the credentials; a joint one its second holder’s 000000', async () => {
    expect(await attempt('single', '123456')).toBe('LOGGED_IN')
    expect(await attempt('single', '000000')).toBe('INVALID_CREDENTIALS_MFA')
    expect(await attempt('joint', '000000')).toBe('LOGGED_IN')
    expect(await attempt('joint', '123456')).toBe('INVALID_CREDENTIALS_MFA')
  })

  it('a joint account is held by both: its owner names them, the identity says CONJUNTA', async () => {
    const single = await run(joint, makeContext({ credentials: creds('user-ok', { accountType: 'single', token: '123456' }) }))
    const shared = await run(joint, makeContext({ credentials: creds('user-ok', { accountType: 'joint', token: '000000' }) }))
    expect(shared.accounts[0].owner).toMatch(new RegExp(`^${single.accounts[0].owner} e \\S+ \\S+ \\S+$`))
    expect(shared.identity!.financialRelationships!.accounts![0].subtype).toBe('CONJUNTA_SIMPLES')
    expect(single.identity!.financialRelationships!.accounts![0].subtype).toBe('INDIVIDUAL')
  })
})

describe('connector 7 (QR login): no credentials, a code to scan', () => {
  it('asks the user to scan a QR code on the first execution and logs in on the follow-up', async () => {
    const error = await qr.login(makeContext({ credentials: {} })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthorizationRequested)
    expect((error as AuthorizationRequested).userAction).toMatchObject({
      type: 'qr',
      instructions: SANDBOX_QR_INSTRUCTIONS,
      expiresAt: null,
      attributes: { qrCode: expect.stringMatching(/^data:image\/svg\+xml;base64,/) },
    })
    const data = await run(qr, makeContext({ credentials: {}, pendingExecutions: 1 }))
    expect(data.accounts.length).toBe(2)
  })

  it('a sandbox user name still chooses another scenario', async () => {
    expect(await outcomeOf(qr.login(makeContext({ credentials: { user: 'user-locked' } })))).toBe('ACCOUNT_LOCKED')
  })
})
