import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json.ts'
import { normaliseDescription, transactionIdentities, utcDay } from './transaction-identity.ts'

describe('transaction identity', () => {
  it('uses the providerId when there is one, whatever else changes', () => {
    const [pending] = transactionIdentities([{ providerId: 'abc', date: '2025-01-02', amount: -5, description: 'X' }], () => 'a')
    const [posted] = transactionIdentities([{ providerId: 'abc', date: '2025-01-04T10:00:00Z', amount: -5.5, description: 'Y' }], () => 'a')
    expect(pending).toEqual({ matchKey: 'p:abc', fingerprint: null })
    expect(posted).toEqual(pending)
  })

  it('counts identical transactions per account and day', () => {
    const rows = [
      { account: 'a', date: '2025-01-02', amount: -5, description: 'Coffee' },
      { account: 'a', date: '2025-01-02T15:00:00.000Z', amount: -5, description: ' COFFEE  ' },
      { account: 'b', date: '2025-01-02', amount: -5, description: 'Coffee' },
      { account: 'a', date: '2025-01-03', amount: -5, description: 'Coffee' },
    ]
    expect(transactionIdentities(rows, (r) => r.account).map((i) => i.matchKey)).toEqual([
      'f:2025-01-02|-5|coffee#1',
      'f:2025-01-02|-5|coffee#2',
      'f:2025-01-02|-5|coffee#1',
      'f:2025-01-03|-5|coffee#1',
    ])
    expect(transactionIdentities(rows, (r) => r.account)[0].fingerprint).toBe('-5|coffee')
  })

  it('reads days in UTC and refuses dates it cannot read', () => {
    expect(utcDay('2025-01-02T23:30:00-03:00')).toBe('2025-01-03')
    expect(utcDay('2025-01-02')).toBe('2025-01-02')
    expect(() => utcDay('soon')).toThrow()
    expect(normaliseDescription('  Pão\u0303  de   queijo ')).toBe(normaliseDescription('pãõ de queijo'))
  })
})

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined members, like JSON.stringify otherwise', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 'x', y: null }], c: undefined } })).toBe('{"a":{"d":[1,{"y":null,"z":"x"}]},"b":1}')
    const value = { s: 'quote " and \\ and ünïcode', n: -0.5, t: true, list: [undefined, 2], when: new Date(0) }
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)))
  })
})
