import { z } from 'zod'
import { pageOf } from './page.ts'

/** A monthly statement of a bank account. */
export const AccountStatement = z.strictObject({
  id: z.uuid(),
  monthYear: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .describe('The month covered, `YYYY-MM`'),
  url: z.url().describe('A signed link to the statement’s PDF, valid for 30 minutes; list the statements again for a fresh one'),
})
export type AccountStatement = z.infer<typeof AccountStatement>

export const AccountStatementPage = pageOf(AccountStatement).describe('The account’s statements, newest month first')

/** The query of a signed statement link: who may read it, until when, and the server's signature. */
export const StatementLinkQuery = z.object({
  client: z.string().max(200),
  expires: z.coerce.number().int().min(0),
  signature: z.string().max(200),
})
