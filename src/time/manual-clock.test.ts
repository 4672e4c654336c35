import { describe, expect, it, vi } from 'vitest'
import { ManualClock } from './manual-clock.ts'

const START = new Date('2030-01-01T00:00:00.000Z')

describe('ManualClock', () => {
  it('stands still until moved', async () => {
    const clock = new ManualClock(START)
    // Wall-clock time has passed (a positive fact), and the clock has not moved with it.
    const wallStart = Date.now()
    await vi.waitFor(() => expect(Date.now(), 'the wall clock to move').toBeGreaterThan(wallStart), { timeout: 1_000, interval: 1 })
    expect(clock.now()).toEqual(START)
    await clock.advance(1500)
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:01.500Z')
  })

  it('fires timers in due order, each at its own due time, only once time reaches them', async () => {
    const clock = new ManualClock(START)
    const fired: string[] = []
    clock.setTimeout(() => fired.push(`b@${clock.now().getTime() - START.getTime()}`), 2000)
    clock.setTimeout(() => fired.push(`a@${clock.now().getTime() - START.getTime()}`), 1000)
    clock.setTimeout(() => fired.push('late'), 5000)
    await clock.advance(1999)
    expect(fired).toEqual(['a@1000'])
    await clock.advance(1)
    expect(fired).toEqual(['a@1000', 'b@2000'])
    expect(clock.pendingTimers).toBe(1)
  })

  it('fires a timer that a callback sets while time moves, when it falls due on the way', async () => {
    const clock = new ManualClock(START)
    const fired: number[] = []
    clock.setTimeout(() => clock.setTimeout(() => fired.push(clock.now().getTime() - START.getTime()), 500), 1000)
    await clock.advance(10_000)
    expect(fired).toEqual([1500])
  })

  it('fires an interval once per move, at its last due time on the way', async () => {
    const clock = new ManualClock(START)
    const fired: number[] = []
    const timer = clock.setInterval(() => fired.push(clock.now().getTime() - START.getTime()), 30_000)
    await clock.advance(86_400_000)
    expect(fired).toEqual([86_400_000])
    await clock.advance(29_999)
    expect(fired).toHaveLength(1)
    await clock.advance(1)
    expect(fired).toEqual([86_400_000, 86_430_000])
    timer.cancel()
    await clock.advance(60_000)
    expect(fired).toHaveLength(2)
  })

  it('does not fire a cancelled timer', async () => {
    const clock = new ManualClock(START)
    let fired = false
    clock.setTimeout(() => (fired = true), 100).cancel()
    await clock.advance(1000)
    expect(fired).toBe(false)
    expect(clock.pendingTimers).toBe(0)
  })

  it('sleeps on its own time, and an aborted sleep rejects with the reason', async () => {
    const clock = new ManualClock(START)
    let woke = false
    const sleeping = clock.sleep(60_000).then(() => (woke = true))
    await clock.advance(59_999)
    expect(woke).toBe(false)
    await clock.advance(1)
    await sleeping
    expect(woke).toBe(true)
    const controller = new AbortController()
    const aborted = clock.sleep(1000, controller.signal)
    controller.abort(new Error('stop'))
    await expect(aborted).rejects.toThrow('stop')
  })

  it('runs a zero-length timer without being moved', async () => {
    const clock = new ManualClock(START)
    await expect(clock.sleep(0)).resolves.toBeUndefined()
    expect(clock.now()).toEqual(START)
  })

  it('tells when its earliest timeout falls due, leaving intervals out', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
    expect(clock.nextTimeoutAt()).toBeUndefined()
    clock.setInterval(() => {}, 100)
    const late = clock.setTimeout(() => {}, 5_000)
    clock.setTimeout(() => {}, 300)
    expect(clock.nextTimeoutAt()).toEqual(new Date('2026-01-01T00:00:00.300Z'))
    await clock.advance(300)
    expect(clock.nextTimeoutAt()).toEqual(new Date('2026-01-01T00:00:05Z'))
    late.cancel()
    expect(clock.nextTimeoutAt()).toBeUndefined()
  })

  it('refuses to move backwards', async () => {
    const clock = new ManualClock(START)
    await expect(clock.advance(-1)).rejects.toThrow('backwards')
    await expect(clock.advanceTo(new Date(START.getTime() - 1))).rejects.toThrow('cannot move the clock back')
  })
})
