import { describe, expect, it } from 'vitest'
import { TokenAuthority, secretsEqual } from './auth.ts'

describe('secretsEqual', () => {
  it('compares by equal-length digests, so any two strings compare without throwing and lengths leak nothing', () => {
    expect(secretsEqual('s3cret-value-0123456789', 's3cret-value-0123456789')).toBe(true)
    expect(secretsEqual('s3cret-value-0123456789', 's3cret-value-0123456780')).toBe(false)
    expect(secretsEqual('short', 'a much longer secret than that')).toBe(false)
    expect(secretsEqual('', '')).toBe(true)
  })
})

describe('TokenAuthority', () => {
  it('accepts its own keys until exp and refuses expired, foreign and malformed ones', async () => {
    let now = new Date('2026-11-23T12:00:00.000Z')
    const authority = new TokenAuthority('a'.repeat(40), () => now)
    const key = await authority.issueApiKey('client-a')
    expect(await authority.verify(key)).toEqual({ kind: 'api', clientId: 'client-a' })
    await expect(new TokenAuthority('b'.repeat(40), () => now).verify(key)).rejects.toMatchObject({ code: 'API_KEY_INVALID' })
    await expect(authority.verify('not.a.jwt')).rejects.toMatchObject({ code: 'API_KEY_INVALID' })
    // Verified once and remembered: a copy with another signature is still checked, and refused.
    const forged = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    await expect(authority.verify(forged)).rejects.toMatchObject({ code: 'API_KEY_INVALID' })
    const token = await authority.issueConnectToken('client-a', null, { clientUserId: 'u1' })
    expect(await authority.verify(token)).toMatchObject({ kind: 'connect', clientId: 'client-a', itemId: null, options: { clientUserId: 'u1' } })
    now = new Date(now.getTime() + 2 * 3600_000 + 1000)
    await expect(authority.verify(key)).rejects.toMatchObject({ code: 'API_KEY_EXPIRED' })
  })
})
