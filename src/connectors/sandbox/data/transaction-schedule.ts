/**
 * When the sandbox books transactions, and how they move with time (SPEC §4).
 *
 * - slot: a day on which the sandbox "books" transactions (every {@link SLOT_EVERY}th day). What
 *   happens in a slot depends only on (seed, slot day, index), never on today, so a transaction
 *   keeps its `providerId` and content from one execution to the next while the window slides.
 * - Transactions of the last {@link PENDING_DAYS} days are `PENDING` and become `POSTED` later
 *   under the same `providerId`.
 * - One slot in ten is cancelled by the institution: it shows up while pending and disappears
 *   once it would have posted (a deletion to merge). Cancelled slots are regular, so the window
 *   always holds 27 or 28 of its 30 slots; they depend on the day alone, not on the user, so for a
 *   given day every user has the same number of slot transactions, and `user-ok-perf-<n>` has
 *   exactly n times as many as `user-ok` (the monthly movements of ledger.ts it has once).
 */

/** Days of history the sandbox reports. */
export const HISTORY_DAYS = 90
/** Transactions are booked on every SLOT_EVERY-th day: 90 / 3 = 30 slots in the window. */
export const SLOT_EVERY = 3
/** Transactions dated within the last PENDING_DAYS days (today included) are `PENDING`. */
export const PENDING_DAYS = 7

/** Days on which transactions are booked. */
export function isSlot(day: number): boolean {
  return ((day % SLOT_EVERY) + SLOT_EVERY) % SLOT_EVERY === 0
}

/** One slot in ten is cancelled; depends on the day only, so counts match across users. */
export function isCancelledSlot(day: number): boolean {
  return Math.floor(day / SLOT_EVERY) % 10 === 7
}

export interface BookedSlot {
  day: number
  pending: boolean
}

/** The slots whose transactions the institution shows today, newest first. */
export function bookedSlots(today: number): BookedSlot[] {
  const out: BookedSlot[] = []
  for (let day = today; day > today - HISTORY_DAYS; day--) {
    if (!isSlot(day)) continue
    const pending = today - day < PENDING_DAYS
    // A cancelled purchase is visible only while pending; afterwards it is gone.
    if (isCancelledSlot(day) && !pending) continue
    out.push({ day, pending })
  }
  return out
}
