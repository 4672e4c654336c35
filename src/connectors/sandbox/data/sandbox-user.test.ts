import { describe, expect, it } from 'vitest'
import { STREAMS, SandboxUser } from './sandbox-user.ts'

const NOW = new Date('2026-03-15T14:30:00.000Z')

describe('a sandbox user', () => {
  it('gives every kind of record a stream number of its own', () => {
    const numbers = Object.values(STREAMS)
    expect(new Set(numbers).size).toBe(numbers.length)
  })

  it('draws the same values for the same record, whatever was drawn before, and others for other records', () => {
    const user = new SandboxUser({ user: 'user-ok', now: NOW })
    const first = user.rng('transactions', 20_527, 0).next()
    user.rng('transactions', 20_527, 1).next()
    expect(new SandboxUser({ user: 'user-ok', now: NOW }).rng('transactions', 20_527, 0).next()).toBe(first)
    expect(user.rng('transactions', 20_527, 0).next()).toBe(first)
    expect(user.rng('transactions', 20_528, 0).next()).not.toBe(first)
    expect(user.rng('accounts', 20_527, 0).next()).not.toBe(first)
    expect(new SandboxUser({ user: 'user-b', now: NOW }).rng('transactions', 20_527, 0).next()).not.toBe(first)
  })

  it('names its records under a prefix of its seed, and keeps only the day of the clock', () => {
    const user = new SandboxUser({ user: 'user-ok', now: NOW })
    expect(user.idPrefix).toMatch(/^sbx-[0-9a-f]{14}$/)
    expect(user.checkingId).toBe(`${user.idPrefix}-checking`)
    expect(user.today).toBe(new SandboxUser({ user: 'user-ok', now: new Date('2026-03-15T00:00:00.000Z') }).today)
    expect(user.iso(user.today)).toBe('2026-03-15T00:00:00.000Z')
  })

  it('keeps the transaction multiplier a whole number between 0 and 5000, 1 when it is not a number', () => {
    const multiplier = (value: number | undefined) => new SandboxUser({ user: 'u', now: NOW, transactionMultiplier: value }).transactionMultiplier
    expect([undefined, 0, 2.7, -4, 9_999, Number.NaN, Number.POSITIVE_INFINITY].map(multiplier)).toEqual([1, 0, 2, 0, 5000, 1, 1])
  })
})
