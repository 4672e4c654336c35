import { z } from 'zod'
import type { App, HttpServices } from '../http-types.ts'
import { presentPaymentIntent } from '../payment-request-presenters.ts'
import { refusals } from '../schemas/error.ts'
import { PaymentIntent } from '../schemas/payment-request.ts'

const IntentParams = z.object({ id: z.string().max(200) })

/**
 * The sandbox control API for payments (docs/sandbox.md): what a payer outside Tributary does —
 * paying a Pix QR top-up's code from any banking app — done on demand. API keys, client-scoped,
 * off where the rest of /sandbox/... is off.
 */
export function registerSandboxPaymentRoutes(app: App, services: HttpServices): void {
  const { sandbox, paymentIntents, paymentRequests } = services
  app.post(
    '/sandbox/payments/intents/:id/pay-pix',
    {
      schema: {
        tags: ['Sandbox'],
        summary: 'Pay a Pix QR top-up’s code (pixData.qr) as a payer would: the engine then settles the intent and the bulk payment pays its requests',
        params: IntentParams,
        response: {
          200: PaymentIntent.describe('The intent, its QR code paid (PAYMENT_PENDING); settlement follows (GET it, or the payment_intent/* webhooks)'),
          ...refusals({ 404: ['SANDBOX_CONTROL_DISABLED', 'PAYMENT_INTENT_NOT_FOUND'], 409: ['PAYMENT_INTENT_NOT_PIX_PAYABLE'] }),
        },
      },
    },
    async (request) => {
      sandbox.assertEnabled()
      const paid = await paymentIntents.payPixQr(request.principal!.clientId, request.params.id)
      // A Pix QR top-up names no payer's bank: it has no connector to present.
      return presentPaymentIntent(
        paid,
        async () => null,
        (id) => paymentRequests.paymentUrlOf(`bulk/${id}`),
      )
    },
  )
}
