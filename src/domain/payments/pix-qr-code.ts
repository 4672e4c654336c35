/**
 * A Pix "copia e cola" payload (BR Code): the EMV merchant-presented QR format as the Central
 * Bank's Pix manual fills it — each field an id, a two-digit length and a value, closed by a
 * CRC16-CCITT of everything before it. Built here, purely, so that any banking app reads it.
 */

export interface PixQrFields {
  /** The receiver's Pix key (a CNPJ's digits, an e-mail, a random key). */
  key: string
  amountCents: number
  /** The receiver's name and city, as the payer's app shows them (ASCII, cut to the format's limits). */
  merchantName: string
  merchantCity: string
  /** What identifies the charge to the receiver: letters and digits, at most 25. */
  txid: string
}

const GUI = 'br.gov.bcb.pix'

function field(id: string, value: string): string {
  if (value.length > 99) throw new Error(`BR Code field ${id} is longer than 99 characters`)
  return `${id}${String(value.length).padStart(2, '0')}${value}`
}

/** Names and cities travel as plain ASCII upper or mixed case: accents are dropped, not mangled. */
function ascii(text: string, max: number): string {
  const plain = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 .,\-&]/g, '')
    .trim()
  return (plain || 'NA').slice(0, max)
}

/** CRC16-CCITT (polynomial 0x1021, initial 0xFFFF, no reflection), as the BR Code's field 63 carries it. */
export function crc16Ccitt(text: string): string {
  let crc = 0xffff
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
  }
  return crc.toString(16).toUpperCase().padStart(4, '0')
}

/** The amount as the BR Code writes it: reais with a dot and two decimals. */
export function pixAmount(amountCents: number): string {
  return `${Math.trunc(amountCents / 100)}.${String(amountCents % 100).padStart(2, '0')}`
}

export function pixCopyPaste(fields: PixQrFields): string {
  const txid = fields.txid.replace(/[^A-Za-z0-9]/g, '').slice(0, 25) || '***'
  const body = [
    field('00', '01'),
    // 12: the code is for this one charge (a dynamic, single-use code).
    field('01', '12'),
    field('26', field('00', GUI) + field('01', fields.key)),
    field('52', '0000'),
    field('53', '986'),
    field('54', pixAmount(fields.amountCents)),
    field('58', 'BR'),
    field('59', ascii(fields.merchantName, 25)),
    field('60', ascii(fields.merchantCity, 15)),
    field('62', field('05', txid)),
  ].join('')
  const withCrcHeader = `${body}6304`
  return withCrcHeader + crc16Ccitt(withCrcHeader)
}

/** The payload's top-level fields, id → value (what a reader of the code sees); undefined when malformed. */
export function readBrCode(payload: string): Map<string, string> | undefined {
  const fields = new Map<string, string>()
  let at = 0
  while (at < payload.length) {
    const id = payload.slice(at, at + 2)
    const length = Number(payload.slice(at + 2, at + 4))
    if (!/^\d{2}$/.test(id) || !Number.isInteger(length) || at + 4 + length > payload.length) return undefined
    fields.set(id, payload.slice(at + 4, at + 4 + length))
    at += 4 + length
  }
  return fields
}
