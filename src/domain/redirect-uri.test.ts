import { describe, expect, it } from 'vitest'
import { checkRedirectUri } from './redirect-uri.ts'

describe('checkRedirectUri (oauthRedirectUri)', () => {
  it('accepts https anywhere and http on loopback only', () => {
    expect(checkRedirectUri('https://app.example.com/back?x=1', null)).toEqual({ ok: true, uri: 'https://app.example.com/back?x=1' })
    expect(checkRedirectUri('http://localhost:5173/back', null).ok).toBe(true)
    expect(checkRedirectUri('http://127.0.0.1/back', null).ok).toBe(true)
    expect(checkRedirectUri('http://app.example.com/back', null).ok).toBe(false)
    expect(checkRedirectUri('javascript:alert(1)', null).ok).toBe(false)
    expect(checkRedirectUri('not a url', null).ok).toBe(false)
  })
  it('refuses credentials and fragments', () => {
    expect(checkRedirectUri('https://u:p@app.example.com/', null).ok).toBe(false)
    expect(checkRedirectUri('https://app.example.com/#x', null).ok).toBe(false)
  })
  it('with a connect token: only the URI the token allows, which is the default', () => {
    expect(checkRedirectUri(undefined, 'https://app.example.com/back')).toEqual({ ok: true, uri: 'https://app.example.com/back' })
    expect(checkRedirectUri('https://evil.example.com/', 'https://app.example.com/back').ok).toBe(false)
    expect(checkRedirectUri(null, null)).toEqual({ ok: true, uri: null })
  })
})
