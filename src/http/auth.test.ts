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
  const now = new Date('2026-11-23T12:00:00.000Z')
  it('accepts its own keys until exp and refuses expired, foreign and malformed ones', async () => {
    const authority = new TokenAuthority('a'.repeat(40))
    const key = await authority.issueApiKey('client-a', now)
    expect(await authority.verify(key, now)).toEqual({ kind: 'api', clientId: 'client-a' })
    await expect(authority.verify(key, new Date(now.getTime() + 2 * 3600_000 + 1000))).rejects.toMatchObject({ code: 'API_KEY_EXPIRED' })
    await expect(new TokenAuthority('b'.repeat(40)).verify(key, now)).rejects.toMatchObject({ code: 'API_KEY_INVALID' })
    await expect(authority.verify('not.a.jwt', now)).rejects.toMatchObject({ code: 'API_KEY_INVALID' })
    // Verified once and remembered: a copy with another signature is still checked, and refused.
    const forged = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    await expect(authority.verify(forged, now)).rejects.toMatchObject({ code: 'API_KEY_INVALID' })
    const token = await authority.issueConnectToken('client-a', null, { clientUserId: 'u1' }, now)
    expect(await authority.verify(token, now)).toMatchObject({ kind: 'connect', clientId: 'client-a', itemId: null, options: { clientUserId: 'u1' } })
  })
})
