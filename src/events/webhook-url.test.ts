import { describe, expect, it } from 'vitest'
import { isPrivateAddress, resolveDeliveryAddress, webhookUrlProblem } from './webhook-url.ts'

// SPEC §4a.8: loopback and private-network webhook targets are refused when
// TRIBUTARY_WEBHOOK_ALLOW_PRIVATE=false (SSRF protection, including cloud metadata).

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '::1',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.20.10.5',
    '172.31.255.255',
    '192.168.0.1',
    '192.168.255.254',
    '169.254.169.254',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.1.2.3',
    '::ffff:169.254.169.254',
    '0.0.0.0',
    '::',
  ])('%s is private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true)
  })

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700::1111', '2001:4860:4860::8888', '172.15.255.255', '172.32.0.1', '192.169.0.1', '11.0.0.1', '::ffff:8.8.8.8'])('%s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false)
  })

  it('something that is not an IP address is treated as private (refused)', () => {
    expect(isPrivateAddress('localhost')).toBe(true)
    expect(isPrivateAddress('')).toBe(true)
  })
})

describe('webhookUrlProblem', () => {
  it('accepts http and https URLs', () => {
    expect(webhookUrlProblem('https://example.com/hooks')).toBeNull()
    expect(webhookUrlProblem('http://example.com:8080/x?y=1')).toBeNull()
  })

  it.each(['ftp://x', 'not a url', '', '/relative/path', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pass@example.com/'])('refuses %j', (url) => {
    expect(webhookUrlProblem(url)).toEqual(expect.any(String))
  })
})

describe('resolveDeliveryAddress', () => {
  it('localhost resolves to loopback: refused unless private targets are allowed', async () => {
    await expect(resolveDeliveryAddress(new URL('http://localhost/'), false)).rejects.toThrow(/private/)
    const resolved = await resolveDeliveryAddress(new URL('http://localhost/'), true)
    expect(isPrivateAddress(resolved.address)).toBe(true)
    expect([4, 6]).toContain(resolved.family)
  })

  it('literal private addresses are refused without a DNS lookup; public ones pass', async () => {
    await expect(resolveDeliveryAddress(new URL('http://127.0.0.1:8080/x'), false)).rejects.toThrow(/private/)
    await expect(resolveDeliveryAddress(new URL('http://169.254.169.254/latest/meta-data'), false)).rejects.toThrow(/private/)
    await expect(resolveDeliveryAddress(new URL('http://[::1]/'), false)).rejects.toThrow(/private/)
    await expect(resolveDeliveryAddress(new URL('http://[::ffff:127.0.0.1]/'), false)).rejects.toThrow(/private/)
    await expect(resolveDeliveryAddress(new URL('http://10.0.0.1/'), false)).rejects.toThrow(/private/)
    expect(await resolveDeliveryAddress(new URL('http://127.0.0.1:8080/x'), true)).toEqual({ address: '127.0.0.1', family: 4 })
    expect(await resolveDeliveryAddress(new URL('https://8.8.8.8/'), false)).toEqual({ address: '8.8.8.8', family: 4 })
    expect(await resolveDeliveryAddress(new URL('https://[2606:4700::1111]/'), false)).toEqual({ address: '2606:4700::1111', family: 6 })
  })

  it('decimal / hex IPv4 forms are normalised by the URL parser and still refused', async () => {
    // WHATWG URL turns 2130706433 and 0x7f.1 into 127.0.0.1.
    await expect(resolveDeliveryAddress(new URL('http://2130706433/'), false)).rejects.toThrow(/private/)
    await expect(resolveDeliveryAddress(new URL('http://0x7f.1/'), false)).rejects.toThrow(/private/)
  })
})
