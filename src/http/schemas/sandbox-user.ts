import { z } from 'zod'
import { FINAL_OUTCOMES } from '../../domain/statuses.ts'
import { SandboxUserDocument } from '../../services/sandbox-user-schema.ts'

/** What POST /sandbox/users takes: the custom sandbox user document. */
export const SandboxUserBody = SandboxUserDocument

const Money = z.number()

/** A custom sandbox user as stored, every default filled. */
export const SandboxUser = z
  .strictObject({
    source: z.enum(['client', 'file']).describe('client: registered by this client; file: from TRIBUTARY_SANDBOX_USERS_FILE, for every client'),
    user: z.string(),
    outcomes: z.array(z.enum(FINAL_OUTCOMES)),
    accounts: z.array(
      z.strictObject({
        id: z.string(),
        type: z.enum(['BANK', 'CREDIT']),
        subtype: z.enum(['CHECKING_ACCOUNT', 'SAVINGS_ACCOUNT', 'CREDIT_CARD']),
        name: z.string(),
        number: z.string(),
        balance: Money,
        currencyCode: z.string(),
        transactions: z.array(z.strictObject({ id: z.string(), date: z.string(), description: z.string(), amount: Money, status: z.enum(['PENDING', 'POSTED']) })),
      }),
    ),
    investments: z.array(z.strictObject({ id: z.string(), name: z.string(), type: z.string(), balance: Money, currencyCode: z.string() })),
    identity: z.strictObject({ fullName: z.string(), document: z.string().nullable(), birthDate: z.string().nullable(), emails: z.array(z.string()), phoneNumbers: z.array(z.string()) }).nullable(),
  })
  .describe('A custom sandbox user (its password is not returned)')

export type SandboxUser = z.infer<typeof SandboxUser>
