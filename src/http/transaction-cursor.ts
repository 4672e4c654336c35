/**
 * The `after` cursor of GET /v2/transactions: the seq of the last transaction returned, encoded
 * so that clients treat it as opaque (base64url, safe unencoded in a query string).
 */
export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ v: 1, seq }), 'utf8').toString('base64url')
}

export function decodeCursor(raw: string): number | null {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { v?: unknown; seq?: unknown }
    return value.v === 1 && Number.isSafeInteger(value.seq) && (value.seq as number) >= 0 ? (value.seq as number) : null
  } catch {
    return null
  }
}
