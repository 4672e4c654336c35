import { z } from 'zod'
import { AUTOMATIC_PIX_PAYMENT_STATUSES, SCHEDULED_PAYMENT_STATUSES } from '../../domain/payments/statuses.ts'
import { pageOf } from './page.ts'

// The payments that settle on a date, as pluggy-sdk 0.90.0 declares them
// (types/payments/schedulePayment.d.ts, pixAutomatic.d.ts). Dates are days, `YYYY-MM-DD`.

export const SchedulePayment = z.strictObject({
  id: z.uuid(),
  status: z.enum(SCHEDULED_PAYMENT_STATUSES),
  scheduledDate: z.string().describe('The day it settles, in Brasília (YYYY-MM-DD)'),
  description: z.string(),
})
export type SchedulePayment = z.infer<typeof SchedulePayment>
export const SchedulePaymentPage = pageOf(SchedulePayment)

const ErrorDetail = z.strictObject({ code: z.string(), description: z.string(), detail: z.string().optional() })

export const AutomaticPixPayment = z.strictObject({
  id: z.uuid(),
  status: z.enum(AUTOMATIC_PIX_PAYMENT_STATUSES),
  amount: z.number(),
  description: z.string().optional(),
  date: z.string().describe('The day it settles, in Brasília (YYYY-MM-DD); a retry moves it'),
  endToEndId: z.string().optional(),
  errorDetail: ErrorDetail.nullable().optional(),
})
export type AutomaticPixPayment = z.infer<typeof AutomaticPixPayment>
export const AutomaticPixPaymentPage = pageOf(AutomaticPixPayment)

export const ScheduleAutomaticPixBody = z.object({
  amount: z.number().positive().max(1_000_000_000),
  description: z.string().max(140).optional(),
  date: z.string().max(40),
})
export const RetryAutomaticPixBody = z.object({ date: z.string().max(40) })
