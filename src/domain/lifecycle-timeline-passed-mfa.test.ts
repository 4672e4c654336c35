import { describe, it, expect } from 'vitest'
import { timelinePassedMfa } from './lifecycle.ts'

describe('timelinePassedMfa (what a run that takes an execution over is told)', () => {
  it('is true only when a step after LOGIN_MFA_IN_PROGRESS was reached', () => {
    expect(timelinePassedMfa(['CREATED', 'LOGIN_IN_PROGRESS', 'WAITING_USER_INPUT', 'LOGIN_MFA_IN_PROGRESS', 'ACCOUNTS_IN_PROGRESS'])).toBe(true)
    expect(timelinePassedMfa(['CREATED', 'LOGIN_IN_PROGRESS', 'WAITING_USER_INPUT', 'LOGIN_MFA_IN_PROGRESS'])).toBe(false)
    expect(timelinePassedMfa(['CREATED', 'LOGIN_IN_PROGRESS', 'ACCOUNTS_IN_PROGRESS'])).toBe(false)
  })
})
