import { describe, expect, it } from 'vitest'
import { STATEMENT_LINK_TTL_SECONDS, StatementLinks } from './statement-links.ts'

const ID = '3f2c1a9e-6b7d-4e21-9a0b-1c2d3e4f5a6b'
const AT = new Date('2026-03-01T12:00:00.000Z')
const links = new StatementLinks('a server secret of enough length, 32+ chars')

describe('statement links', () => {
  it('are valid for 30 minutes from signing, then expired', () => {
    const link = links.sign(ID, 'client-a', AT)
    expect(STATEMENT_LINK_TTL_SECONDS).toBe(1800)
    expect(link.expires).toBe(AT.getTime() / 1000 + 1800)
    expect(links.check(ID, link, AT)).toEqual({ ok: true })
    expect(links.check(ID, link, new Date(AT.getTime() + 1_799_999))).toEqual({ ok: true })
    expect(links.check(ID, link, new Date(AT.getTime() + 1_800_000))).toEqual({ ok: false, reason: 'expired' })
  })

  it('break when the statement, the client, the expiry or the signature change, or another secret signed them', () => {
    const link = links.sign(ID, 'client-a', AT)
    expect(links.check(ID.replace('3f', '4f'), link, AT)).toEqual({ ok: false, reason: 'invalid' })
    expect(links.check(ID, { ...link, client: 'client-b' }, AT)).toEqual({ ok: false, reason: 'invalid' })
    expect(links.check(ID, { ...link, expires: link.expires + 3600 }, AT)).toEqual({ ok: false, reason: 'invalid' })
    expect(links.check(ID, { ...link, signature: link.signature.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }, AT)).toEqual({ ok: false, reason: 'invalid' })
    expect(links.check(ID, { ...link, signature: 'not hex' }, AT)).toEqual({ ok: false, reason: 'invalid' })
    expect(new StatementLinks('another secret, just as long as the first').check(ID, link, AT)).toEqual({ ok: false, reason: 'invalid' })
    // A forged link says "invalid" even once past its time: expiry is told only of genuine links.
    expect(links.check(ID, { ...link, client: 'client-b' }, new Date(AT.getTime() + 3_600_000))).toEqual({ ok: false, reason: 'invalid' })
  })
})
