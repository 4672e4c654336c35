/** Rounds an amount to cents, as every amount the sandbox reports is. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100
}
