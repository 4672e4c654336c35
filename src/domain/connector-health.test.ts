import { describe, expect, it } from 'vitest'
import { MIN_CONNECTIONS_FOR_HEALTH, healthStatus } from './connector-health.ts'

describe('healthStatus', () => {
  it('stays ONLINE until enough executions say otherwise', () => {
    expect(healthStatus(0, 0)).toBe('ONLINE')
    expect(healthStatus(MIN_CONNECTIONS_FOR_HEALTH - 1, 0)).toBe('ONLINE')
    expect(healthStatus(MIN_CONNECTIONS_FOR_HEALTH, 0)).toBe('OFFLINE')
  })

  it('is ONLINE from an 80% connection rate, UNSTABLE from 30%, OFFLINE below', () => {
    expect(healthStatus(10, 10)).toBe('ONLINE')
    expect(healthStatus(10, 8)).toBe('ONLINE')
    expect(healthStatus(10, 7)).toBe('UNSTABLE')
    expect(healthStatus(10, 3)).toBe('UNSTABLE')
    expect(healthStatus(10, 2)).toBe('OFFLINE')
  })
})
