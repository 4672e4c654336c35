import { describe, expect, it } from 'vitest'
import { hashString, mixSeed, Rng } from './random-source.ts'

describe('hashString (cyrb53)', () => {
  it('gives the published cyrb53 values, so seeds are the same on every platform', () => {
    expect(hashString('a')).toBe(7929297801672961)
    expect(hashString('revenge')).toBe(4051478007546757)
    expect(hashString('revenue')).toBe(8309097637345594)
    expect(hashString('user-ok')).toBe(247257587363276)
    expect(hashString('user-ok', 1)).toBe(6827671360175815)
  })

  it('is a non-negative integer below 2^53', () => {
    for (const value of ['', 'a', 'user-ok', 'Ünïcode ☃', 'x'.repeat(10_000)]) {
      const h = hashString(value)
      expect(Number.isSafeInteger(h)).toBe(true)
      expect(h).toBeGreaterThanOrEqual(0)
    }
  })

  it('tells near-identical strings apart', () => {
    const hashes = new Set(Array.from({ length: 1_000 }, (_, i) => hashString(`user-ok-${i}`)))
    expect(hashes.size).toBe(1_000)
  })
})

describe('mixSeed', () => {
  it('is an unsigned 32-bit integer that depends on every part and on their order', () => {
    const seed = mixSeed(1, 2, 3, 4, 5)
    expect(seed).toBe(181897874)
    expect(seed >>> 0).toBe(seed)
    expect(mixSeed(1, 2, 3, 4, 6)).not.toBe(seed)
    expect(mixSeed(2, 1, 3, 4, 5)).not.toBe(seed)
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2, 0, 0, 0))
  })
})

describe('Rng (mulberry32)', () => {
  it('gives the same sequence for the same seed, pinned to the values it has always given', () => {
    const a = new Rng(42)
    const b = new Rng(42)
    const first = [a.next(), a.next(), a.next()]
    expect(first).toEqual([b.next(), b.next(), b.next()])
    expect(first).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099])
    expect(new Rng(43).next()).not.toBe(first[0])
  })

  it('draws floats in [0, 1) and integers in [min, max], both ends reached', () => {
    const rng = new Rng(7)
    const ints = new Set<number>()
    for (let i = 0; i < 10_000; i++) {
      const f = rng.next()
      expect(f >= 0 && f < 1).toBe(true)
      ints.add(rng.int(-2, 3))
    }
    expect([...ints].sort((x, y) => x - y)).toEqual([-2, -1, 0, 1, 2, 3])
  })

  it('draws amounts with at most two decimals inside the range', () => {
    const rng = new Rng(11)
    for (let i = 0; i < 1_000; i++) {
      const amount = rng.money(12, 650)
      expect(amount).toBeGreaterThanOrEqual(12)
      expect(amount).toBeLessThanOrEqual(650)
      expect(Math.round(amount * 100) / 100).toBe(amount)
    }
  })

  it('picks every item of a list, and draws digit strings of the asked length', () => {
    const rng = new Rng(3)
    const picked = new Set(Array.from({ length: 200 }, () => rng.pick(['a', 'b', 'c'])))
    expect(picked).toEqual(new Set(['a', 'b', 'c']))
    const digits = rng.digits(12)
    expect(digits).toMatch(/^\d{12}$/)
  })

  it('chance(0) never happens and chance(1) always does', () => {
    const rng = new Rng(5)
    for (let i = 0; i < 100; i++) {
      expect(rng.chance(0)).toBe(false)
      expect(rng.chance(1)).toBe(true)
    }
  })
})
