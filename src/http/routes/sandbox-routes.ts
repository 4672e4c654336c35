import { z } from 'zod'
import type { App, HttpServices } from '../http-types.ts'
import { presentForcedOutcome, presentSandboxControl } from '../sandbox-presenters.ts'
import { refusals } from '../schemas/error.ts'
import { Deleted } from '../schemas/page.ts'
import type { OutageRow } from '../../services/sandbox-service.ts'
import { AdvanceClockBody, ClockAdvanced, FireWebhookBody, FiredEvent, ForcedOutcome, ForcedOutcomeBody, Outage, OutageBody, SandboxClock, SandboxItemControl } from '../schemas/sandbox.ts'

const TAGS = ['Sandbox']
const ItemParams = z.object({ id: z.string().max(200) })
/** What every route of an item may refuse: the API off, an unknown item, an item of a real institution. */
const ConnectorParams = z.object({ id: z.coerce.number().int().min(0).max(2_147_483_647) })
const OUTAGE_REFUSALS = { 400: ['SANDBOX_CONNECTOR_REQUIRED'], 404: ['SANDBOX_CONTROL_DISABLED', 'CONNECTOR_NOT_FOUND'] } as const
const presentOutage = (outage: OutageRow) => ({ connectorId: outage.connectorId, mode: outage.mode, delaySeconds: outage.delayMs / 1000, createdAt: outage.createdAt.toISOString() })
const ITEM_REFUSALS = { 400: ['SANDBOX_CONNECTOR_REQUIRED'], 404: ['SANDBOX_CONTROL_DISABLED', 'ITEM_NOT_FOUND'] } as const

/**
 * The sandbox control API (SPEC §7.6, docs/sandbox.md): provoke on purpose, for an item of a
 * sandbox institution, what a real institution does on its own — an outcome, a changed password,
 * an event. API keys only (a connect token is refused, as on every server-side route).
 */
export function registerSandboxRoutes(app: App, services: HttpServices): void {
  const { sandbox } = services

  app.get(
    '/sandbox/items/:id',
    { schema: { tags: TAGS, summary: 'What the sandbox institution was told about an item', params: ItemParams, response: { 200: SandboxItemControl, ...refusals(ITEM_REFUSALS) } } },
    async (request) => {
      const { item, control } = await sandbox.control(request.principal!.clientId, request.params.id)
      return presentSandboxControl(item, control, sandbox.isLoginReset(item, control))
    },
  )

  app.put(
    '/sandbox/items/:id/outcome',
    {
      schema: {
        tags: TAGS,
        summary: 'Force the outcome of the item’s next execution (or of every one until cleared)',
        params: ItemParams,
        body: ForcedOutcomeBody,
        response: { 200: ForcedOutcome, ...refusals({ 400: [...ITEM_REFUSALS[400], 'SANDBOX_OUTCOME_INVALID'], 404: ITEM_REFUSALS[404] }) },
      },
    },
    async (request) => {
      const control = await sandbox.forceOutcome(request.principal!.clientId, request.params.id, request.body)
      return presentForcedOutcome(control.itemId, control)
    },
  )

  app.get(
    '/sandbox/items/:id/outcome',
    {
      schema: {
        tags: TAGS,
        summary: 'The item’s forced outcome',
        params: ItemParams,
        response: { 200: ForcedOutcome, ...refusals({ ...ITEM_REFUSALS, 404: [...ITEM_REFUSALS[404], 'SANDBOX_OUTCOME_NOT_FOUND'] }) },
      },
    },
    async (request) => {
      const control = await sandbox.forcedOutcome(request.principal!.clientId, request.params.id)
      return presentForcedOutcome(control.itemId, control)
    },
  )

  app.delete(
    '/sandbox/items/:id/outcome',
    {
      schema: {
        tags: TAGS,
        summary: 'Clear the item’s forced outcome',
        params: ItemParams,
        response: { 200: Deleted, ...refusals({ ...ITEM_REFUSALS, 404: [...ITEM_REFUSALS[404], 'SANDBOX_OUTCOME_NOT_FOUND'] }) },
      },
    },
    async (request) => ({ count: await sandbox.clearOutcome(request.principal!.clientId, request.params.id) }),
  )

  app.post(
    '/sandbox/items/:id/reset-login',
    {
      schema: {
        tags: TAGS,
        summary: 'The password changed at the institution: logins fail (INVALID_CREDENTIALS) until the item is updated with credentials',
        params: ItemParams,
        response: { 200: SandboxItemControl, ...refusals(ITEM_REFUSALS) },
      },
    },
    async (request) => {
      const clientId = request.principal!.clientId
      await sandbox.resetLogin(clientId, request.params.id)
      const { item, control } = await sandbox.control(clientId, request.params.id)
      return presentSandboxControl(item, control, sandbox.isLoginReset(item, control))
    },
  )

  app.post(
    '/sandbox/items/:id/fire-webhook',
    {
      schema: {
        tags: TAGS,
        summary: 'Send an item event now, as the engine sends it (outbox, signed delivery, delivery log)',
        params: ItemParams,
        body: FireWebhookBody,
        response: { 200: FiredEvent, ...refusals({ 400: [...ITEM_REFUSALS[400], 'SANDBOX_ITEM_HAS_NO_ACCOUNTS'], 404: [...ITEM_REFUSALS[404], 'ACCOUNT_NOT_FOUND'] }) },
      },
    },
    async (request) => {
      const event = await sandbox.fireWebhook(request.principal!.clientId, request.params.id, request.body)
      return { eventId: event.id, event: event.type, itemId: event.itemId!, payload: event.payload }
    },
  )

  app.get('/sandbox/clock', { schema: { tags: TAGS, summary: 'The client’s sandbox time', response: { 200: SandboxClock, ...refusals({ 404: ['SANDBOX_CONTROL_DISABLED'] }) } } }, async (request) => {
    const clock = await sandbox.sandboxClock(request.principal!.clientId)
    return { totalAdvanceSeconds: clock.totalAdvance, now: clock.sandboxNow.toISOString() }
  })

  app.post(
    '/sandbox/clock',
    {
      schema: {
        tags: TAGS,
        summary: 'Move the client’s sandbox time forward: what falls due within it is due now, and the sandbox data moves ahead',
        body: AdvanceClockBody,
        response: { 200: ClockAdvanced, ...refusals({ 404: ['SANDBOX_CONTROL_DISABLED'] }) },
      },
    },
    async (request) => {
      const moved = await sandbox.advanceClock(request.principal!.clientId, request.body.advanceSeconds)
      return { advancedSeconds: moved.advanced, movedItems: moved.movedItems, totalAdvanceSeconds: moved.totalAdvance, now: moved.sandboxNow.toISOString() }
    },
  )

  app.put(
    '/sandbox/connectors/:id/outage',
    {
      schema: {
        tags: TAGS,
        summary: 'Put a sandbox institution in an outage for the client’s items, until cleared',
        params: ConnectorParams,
        body: OutageBody,
        response: { 200: Outage, ...refusals(OUTAGE_REFUSALS) },
      },
    },
    async (request) => presentOutage(await sandbox.startOutage(request.principal!.clientId, request.params.id, request.body)),
  )

  app.get(
    '/sandbox/connectors/:id/outage',
    {
      schema: {
        tags: TAGS,
        summary: 'The sandbox institution’s outage for the client',
        params: ConnectorParams,
        response: { 200: Outage, ...refusals({ ...OUTAGE_REFUSALS, 404: [...OUTAGE_REFUSALS[404], 'SANDBOX_OUTAGE_NOT_FOUND'] }) },
      },
    },
    async (request) => presentOutage(await sandbox.outage(request.principal!.clientId, request.params.id)),
  )

  app.delete(
    '/sandbox/connectors/:id/outage',
    {
      schema: {
        tags: TAGS,
        summary: 'End the sandbox institution’s outage for the client',
        params: ConnectorParams,
        response: { 200: Deleted, ...refusals({ ...OUTAGE_REFUSALS, 404: [...OUTAGE_REFUSALS[404], 'SANDBOX_OUTAGE_NOT_FOUND'] }) },
      },
    },
    async (request) => ({ count: await sandbox.endOutage(request.principal!.clientId, request.params.id) }),
  )
}
