/**
 * The sandbox's only source of randomness: seeded, so the same inputs always give the same data.
 * No `Math.random`: a record's values come from a mulberry32 generator seeded by (user, record).
 */
import { round2 } from './money.ts'

/** A 53-bit string hash (cyrb53): stable across platforms and Node versions. */
export function hashString(value: string, salt = 0): number {
  let h1 = 0xdeadbeef ^ salt
  let h2 = 0x41c6ce57 ^ salt
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/** Mixes one 32-bit integer into a running 32-bit hash (murmur3 finaliser). */
function mixIn(h: number, part: number): number {
  h = Math.imul(h ^ (part | 0), 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h
}

/** Mixes up to five 32-bit integers into one 32-bit seed; a different order gives a different seed. */
export function mixSeed(a: number, b: number, c = 0, d = 0, e = 0): number {
  return mixIn(mixIn(mixIn(mixIn(mixIn(0x9e3779b9, a), b), c), d), e) >>> 0
}

/** A small deterministic random source (mulberry32). */
export class Rng {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
  /** An amount in [min, max] with two decimals. */
  money(min: number, max: number): number {
    return round2(min + this.next() * (max - min))
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }
  /** `count` decimal digits, leading zeros included. */
  digits(count: number): string {
    let out = ''
    for (let i = 0; i < count; i++) out += String(this.int(0, 9))
    return out
  }
  chance(probability: number): boolean {
    return this.next() < probability
  }
}
