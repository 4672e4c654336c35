import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { SIGNATURE_HEADER, signWebhookBody, verifyWebhookSignature } from './signature.ts'

// SPEC §3.5: X-Tributary-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the clientSecret>.

const SECRET = 'test-client-secret-0123456789'
const BODY = JSON.stringify({ event: 'item/updated', eventId: '6b1f0f5e-2b0c-4d8e-9a57-1d4a1c9b2f10', itemId: 'a1b2', triggeredBy: 'CLIENT', clientUserId: null })
const NOW = 1_767_323_045 // 2026-01-02T03:04:05Z

describe('signWebhookBody / verifyWebhookSignature (SPEC §3.5)', () => {
  it('the header has the documented form and is the HMAC of "<t>.<raw body>"', () => {
    expect(SIGNATURE_HEADER).toBe('X-Tributary-Signature')
    const header = signWebhookBody(BODY, SECRET, NOW)
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex')
    expect(header).toBe(`t=${NOW},v1=${expected}`)
  })

  it('a signature made by signWebhookBody verifies', () => {
    const header = signWebhookBody(BODY, SECRET, NOW)
    expect(verifyWebhookSignature(BODY, header, SECRET, 300, NOW)).toBe(true)
    // Within the tolerance on either side.
    expect(verifyWebhookSignature(BODY, header, SECRET, 300, NOW + 300)).toBe(true)
    expect(verifyWebhookSignature(BODY, header, SECRET, 300, NOW - 300)).toBe(true)
    // With the default clock and tolerance.
    const fresh = signWebhookBody(BODY, SECRET, Math.floor(Date.now() / 1000))
    expect(verifyWebhookSignature(BODY, fresh, SECRET)).toBe(true)
  })

  it('verifies bodies with non-ASCII characters (the HMAC is over the UTF-8 bytes)', () => {
    const body = JSON.stringify({ description: 'Pão de Açúcar — café ☕' })
    expect(verifyWebhookSignature(body, signWebhookBody(body, SECRET, NOW), SECRET, 300, NOW)).toBe(true)
  })

  it('a changed body fails', () => {
    const header = signWebhookBody(BODY, SECRET, NOW)
    expect(verifyWebhookSignature(BODY.replace('item/updated', 'item/error'), header, SECRET, 300, NOW)).toBe(false)
    expect(verifyWebhookSignature(BODY + ' ', header, SECRET, 300, NOW)).toBe(false)
    // Re-serialised JSON is not the raw body.
    expect(verifyWebhookSignature(JSON.stringify(JSON.parse(BODY), null, 2), header, SECRET, 300, NOW)).toBe(false)
    expect(verifyWebhookSignature('', header, SECRET, 300, NOW)).toBe(false)
  })

  it('a wrong secret fails', () => {
    const header = signWebhookBody(BODY, SECRET, NOW)
    expect(verifyWebhookSignature(BODY, header, 'other-client-secret-0123456789', 300, NOW)).toBe(false)
    expect(verifyWebhookSignature(BODY, header, SECRET.slice(0, -1), 300, NOW)).toBe(false)
    expect(verifyWebhookSignature(BODY, signWebhookBody(BODY, 'another-secret-000000', NOW), SECRET, 300, NOW)).toBe(false)
  })

  it('a malformed or missing header fails (and never throws)', () => {
    const good = signWebhookBody(BODY, SECRET, NOW)
    const mac = good.split('v1=')[1]
    const malformed: (string | null | undefined)[] = [
      undefined,
      null,
      '',
      'garbage',
      `v1=${mac}`, // no timestamp
      `t=${NOW}`, // no signature
      `t=${NOW},v1=`,
      `t=abc,v1=${mac}`,
      `t=${NOW}.5,v1=${mac}`,
      `t=${NOW},v1=${mac.slice(0, 63)}`, // too short
      `t=${NOW},v1=${mac}00`, // too long
      `t=${NOW},v1=${mac.toUpperCase().replace(/[0-9]/g, 'Z')}`, // not hex
      `t=${NOW},v1=${'0'.repeat(64)}`, // well-formed, wrong
      `t=${NOW + 1},v1=${mac}`, // timestamp not the one signed
      `${mac}`,
    ]
    for (const header of malformed) {
      expect(() => verifyWebhookSignature(BODY, header, SECRET, 300, NOW), String(header)).not.toThrow()
      expect(verifyWebhookSignature(BODY, header, SECRET, 300, NOW), String(header)).toBe(false)
    }
  })

  it('a timestamp outside the tolerance fails (replay protection), in the past or the future', () => {
    const header = signWebhookBody(BODY, SECRET, NOW)
    expect(verifyWebhookSignature(BODY, header, SECRET, 300, NOW + 301)).toBe(false)
    expect(verifyWebhookSignature(BODY, header, SECRET, 300, NOW - 301)).toBe(false)
    expect(verifyWebhookSignature(BODY, header, SECRET, 60, NOW + 3600)).toBe(false)
    const old = signWebhookBody(BODY, SECRET, Math.floor(Date.now() / 1000) - 3600)
    expect(verifyWebhookSignature(BODY, old, SECRET)).toBe(false)
  })
})
