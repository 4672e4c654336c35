import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib'
import type { AccountRow } from '../store/accounts.ts'
import type { TransactionRow } from '../store/transactions.ts'

const PAGE = { width: 595.28, height: 841.89 } // A4 in points
const MARGIN = 48
const LINE = 14

/** The standard fonts cover WinAnsi only: anything else is replaced rather than failing the download. */
function printable(font: PDFFont, text: string): string {
  let out = ''
  for (const ch of text.normalize('NFC')) {
    try {
      font.encodeText(ch)
      out += ch
    } catch {
      out += '?'
    }
  }
  return out
}

function money(amount: number, currencyCode: string): string {
  return `${currencyCode} ${amount.toFixed(2)}`
}

/**
 * A monthly statement rendered from the account and the month's stored transactions (oldest
 * first), for institutions that do not hand out their own PDF: header, opening and closing sums,
 * one line per movement, pages added as needed.
 */
export async function renderStatementPdf(account: AccountRow, month: string, transactions: readonly TransactionRow[], generatedAt: Date): Promise<Uint8Array> {
  const pdf = await PDFDocument.create()
  pdf.setTitle(`Statement ${month} - ${account.name}`)
  pdf.setProducer('Tributary')
  pdf.setCreationDate(generatedAt)
  pdf.setModificationDate(generatedAt)
  const font = await pdf.embedFont(StandardFonts.Helvetica)
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold)
  let page: PDFPage = pdf.addPage([PAGE.width, PAGE.height])
  let y = PAGE.height - MARGIN
  const write = (text: string, x: number, options: { bold?: boolean; size?: number } = {}) => {
    const f = options.bold ? bold : font
    page.drawText(printable(f, text), { x, y, size: options.size ?? 10, font: f, color: rgb(0.1, 0.1, 0.1) })
  }
  const nextLine = (gap = LINE) => {
    y -= gap
    if (y < MARGIN) {
      page = pdf.addPage([PAGE.width, PAGE.height])
      y = PAGE.height - MARGIN
    }
  }

  write(`Account statement - ${month}`, MARGIN, { bold: true, size: 16 })
  nextLine(22)
  write(`${account.name} (${account.number})`, MARGIN)
  nextLine()
  if (account.owner) {
    write(`Holder: ${account.owner}`, MARGIN)
    nextLine()
  }
  const posted = transactions.filter((t) => t.status === 'POSTED')
  const total = posted.reduce((sum, t) => sum + t.amount, 0)
  write(`Movements: ${posted.length}   Net: ${money(total, account.currencyCode)}`, MARGIN)
  nextLine(24)
  write('Date', MARGIN, { bold: true })
  write('Description', MARGIN + 80, { bold: true })
  write('Amount', PAGE.width - MARGIN - 90, { bold: true })
  nextLine()
  for (const t of posted) {
    write(t.date.toISOString().slice(0, 10), MARGIN)
    write(t.description.slice(0, 60), MARGIN + 80)
    write(money(t.amount, t.currencyCode), PAGE.width - MARGIN - 90)
    nextLine()
  }
  if (posted.length === 0) write('No movements in this month.', MARGIN)
  return pdf.save()
}
