import { z } from 'zod'
import { pageOf } from './page.ts'

// Smart accounts as pluggy-sdk 0.90.0 declares them (types/payments/smartAccount.d.ts).

export const SmartAccount = z.strictObject({
  id: z.uuid(),
  agency: z.string(),
  number: z.string(),
  verifyingDigit: z.string(),
  type: z.literal('CHECKING_ACCOUNT'),
  isSandbox: z.boolean(),
})
export type SmartAccount = z.infer<typeof SmartAccount>
export const SmartAccountPage = pageOf(SmartAccount)

export const SmartAccountBalance = z.strictObject({
  // The client declares a string here: an instant without milliseconds stays one (its reviver turns only `…ss.sssZ` into a Date).
  lastUpdatedAt: z.string().describe('When the balance last moved, as an ISO instant in UTC without milliseconds'),
  balance: z.number(),
  blockedBalance: z.number(),
  scheduledBalance: z.number(),
})
export type SmartAccountBalance = z.infer<typeof SmartAccountBalance>

export const CreateSmartAccountBody = z.object({
  name: z.string().trim().min(1).max(200),
  taxNumber: z.string().max(30),
  email: z.email().max(200),
  phoneNumber: z.string().max(30),
  isSandbox: z.boolean().optional(),
})
