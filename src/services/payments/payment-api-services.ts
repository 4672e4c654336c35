import type { Pool } from 'pg'
import type { ConnectorRegistry } from '../../engine/connector-registry.ts'
import { applyPaymentEffects } from '../../engine/payments/payment-effects.ts'
import type { Cipher } from '../../store/cipher.ts'
import type { Clock } from '../../time/clock.ts'
import { AutomaticPixService } from './automatic-pix-service.ts'
import { BulkPaymentService } from './bulk-payment-service.ts'
import { ScheduledPaymentService } from './scheduled-payment-service.ts'
import { SmartAccountService } from './smart-account-service.ts'
import { SmartTransferService } from './smart-transfer-service.ts'

/** The services of payment methods 20–43 (docs/payments.md): smart accounts, bulk payments, dated payments, smart transfers. */
export interface PaymentApiServices {
  smartAccounts: SmartAccountService
  bulkPayments: BulkPaymentService
  scheduledPayments: ScheduledPaymentService
  automaticPix: AutomaticPixService
  smartTransfers: SmartTransferService
}

export function createPaymentApiServices(deps: { pool: Pool; clock: Clock; cipher: Cipher; connectors: ConnectorRegistry; publicUrl: () => string }): PaymentApiServices {
  const { pool, clock } = deps
  return {
    smartAccounts: new SmartAccountService(pool, clock),
    bulkPayments: new BulkPaymentService(pool, clock, deps.publicUrl),
    scheduledPayments: new ScheduledPaymentService(pool, clock, applyPaymentEffects),
    automaticPix: new AutomaticPixService(pool, clock, applyPaymentEffects, deps.publicUrl),
    smartTransfers: new SmartTransferService(pool, clock, deps.cipher, deps.connectors, applyPaymentEffects),
  }
}
