/** ISINs (ISO 6166) with their check digit, so that validating clients accept the sandbox's securities. */

/** The check digit of an 11-character ISIN body: letters become 10..35, then the Luhn digit of the digits. */
export function isinCheckDigit(body: string): number {
  const digits = [...body.toUpperCase()].map((c) => (c >= 'A' && c <= 'Z' ? String(c.charCodeAt(0) - 55) : c)).join('')
  let sum = 0
  // From the right, the first digit is doubled (the check digit will be the one after it).
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    const n = Number(digits[i]) * (double ? 2 : 1)
    sum += n > 9 ? n - 9 : n
  }
  return (10 - (sum % 10)) % 10
}

/** A full ISIN from its 11-character body (country code, then the national code). */
export function isin(body: string): string {
  if (!/^[A-Z]{2}[A-Z0-9]{9}$/.test(body)) throw new Error(`not an ISIN body: ${body}`)
  return `${body}${isinCheckDigit(body)}`
}
