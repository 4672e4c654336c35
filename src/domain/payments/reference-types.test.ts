import * as sdk from 'pluggy-sdk'
import type * as Sdk from 'pluggy-sdk'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { AUTOMATIC_PIX_INTERVALS } from './automatic-pix.ts'
import { BANK_ACCOUNT_TYPES } from './bank-account.ts'
import type { DayOfWeek } from './calendar-date.ts'
import type { PaymentSchedule } from './schedule-dates.ts'
import * as ours from './statuses.ts'
import { PAYMENT_WEBHOOK_EVENTS } from './webhook-events.ts'

/** The reference client's own lists, at run time and as types: ours must be exactly them. */
describe('the reference’s vocabulary (pluggy-sdk 0.90.0)', () => {
  it.each([
    ['payment request statuses', ours.PAYMENT_REQUEST_STATUSES, sdk.PAYMENT_REQUEST_STATUS],
    ['payment intent statuses', ours.PAYMENT_INTENT_STATUSES, sdk.PAYMENT_INTENT_STATUSES],
    ['payment intent error statuses', ours.PAYMENT_INTENT_ERROR_STATUSES, sdk.PAYMENT_INTENT_ERROR_STATUSES],
    ['scheduled payment statuses', ours.SCHEDULED_PAYMENT_STATUSES, sdk.SCHEDULED_PAYMENT_STATUSES],
    ['Pix Automático payment statuses', ours.AUTOMATIC_PIX_PAYMENT_STATUSES, sdk.AUTOMATIC_PIX_PAYMENT_STATUSES],
    ['bulk payment statuses', ours.BULK_PAYMENT_STATUSES, sdk.BULK_PAYMENT_STATUS],
    ['smart-transfer preauthorization statuses', ours.SMART_TRANSFER_PREAUTHORIZATION_STATUSES, sdk.SMART_TRANSFER_PREAUTHORIZATION_STATUS],
    ['smart-transfer payment statuses', ours.SMART_TRANSFER_PAYMENT_STATUSES, sdk.SMART_TRANSFER_PAYMENT_STATUS],
    ['Pix Automático intervals', AUTOMATIC_PIX_INTERVALS, sdk.AUTOMATIC_PIX_INTERVALS],
    ['recipient bank account types', BANK_ACCOUNT_TYPES, sdk.PAYMENT_RECIPIENT_BANK_ACCOUNT_TYPES],
  ])('%s', (_name, mine, theirs) => {
    expect([...mine]).toEqual([...theirs])
  })

  it('payment webhook events: every event of the reference that is not about items, transactions or connectors', () => {
    const payments = sdk.WEBHOOK_EVENTS.filter((e) => !/^(item|transactions|connector)\//.test(e) && e !== 'all')
    expect([...PAYMENT_WEBHOOK_EVENTS].sort()).toEqual([...payments].sort())
  })

  it('the types agree with the reference’s declarations', () => {
    expectTypeOf<ours.PaymentRequestStatus>().toEqualTypeOf<Sdk.PaymentRequestStatus>()
    expectTypeOf<ours.PaymentIntentStatus>().toEqualTypeOf<Sdk.PaymentIntentStatus>()
    expectTypeOf<ours.ScheduledPaymentStatus>().toEqualTypeOf<Sdk.ScheduledPaymentStatus>()
    expectTypeOf<ours.AutomaticPixPaymentStatus>().toEqualTypeOf<Sdk.AutomaticPixPaymentStatus>()
    expectTypeOf<ours.BulkPaymentStatus>().toEqualTypeOf<Sdk.BulkPaymentStatus>()
    expectTypeOf<ours.SmartTransferPreauthorizationStatus>().toEqualTypeOf<Sdk.SmartTransferPreauthorizationStatus>()
    expectTypeOf<ours.SmartTransferPaymentStatus>().toEqualTypeOf<Sdk.SmartTransferPaymentStatus>()
    expectTypeOf<DayOfWeek>().toEqualTypeOf<Sdk.DaysOfWeek>()
    expectTypeOf<PaymentSchedule>().toEqualTypeOf<Sdk.PaymentRequestSchedule>()
    expectTypeOf<ours.PaymentErrorDetail>().toEqualTypeOf<Sdk.AutomaticPixPaymentErrorDetail>()
  })
})
