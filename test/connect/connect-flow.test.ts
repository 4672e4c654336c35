/**
 * The Connect page's flow in Node, without a browser: item state + user or API event → screen,
 * messages to the host and effects.
 */
import { describe, expect, it } from 'vitest'
import type { Effect, FlowEvent, FlowOptions, FlowState, HostMessage, Screen } from '../../src/connect/app/flow/state.ts'
import { initialState, NO_TOKEN_MESSAGE, transition } from '../../src/connect/app/flow/transition.ts'
import type { Connector, Item, ItemState } from '../../src/connect/app/types.ts'

const MFA_BANK: Connector = {
  id: 2,
  name: 'Sandbox Bank MFA 2-step',
  imageUrl: null,
  primaryColor: null,
  type: 'PERSONAL_BANK',
  country: 'BR',
  credentials: [
    { name: 'user', label: 'User', type: 'text' },
    { name: 'password', label: 'Password', type: 'password' },
  ],
  hasMFA: true,
  products: ['ACCOUNTS', 'TRANSACTIONS'],
  isSandbox: true,
}
const PLAIN_BANK: Connector = { ...MFA_BANK, id: 0, name: 'Sandbox Bank', hasMFA: false }
const TOKEN_BANK: Connector = {
  ...MFA_BANK,
  id: 1,
  name: 'Sandbox Bank MFA 1-step',
  hasMFA: false,
  credentials: [...MFA_BANK.credentials, { name: 'token', label: 'Token', type: 'number', mfa: true }],
}

const ITEM_ID = '0b6f3a52-5f0c-4d0e-9d55-8a3f0e4b2c11'
const TOKEN_PARAMETER = { name: 'token', label: 'Code sent by SMS', type: 'number' as const, expiresAt: '2026-01-01T00:05:00.000Z' }

/** The item at one instant: `second` orders the reads (updatedAt). */
function item(second: number, executionStatus: string, extra: Partial<Item> = {}, connector: Connector = MFA_BANK): Item {
  const status =
    executionStatus === 'WAITING_USER_INPUT'
      ? 'WAITING_USER_INPUT'
      : ['SUCCESS', 'PARTIAL_SUCCESS'].includes(executionStatus)
        ? 'UPDATED'
        : executionStatus === 'INVALID_CREDENTIALS'
          ? 'LOGIN_ERROR'
          : 'UPDATING'
  return {
    id: ITEM_ID,
    connector,
    status,
    executionStatus,
    error: null,
    parameter: null,
    userAction: null,
    statusDetail: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`,
    lastUpdatedAt: null,
    clientUserId: null,
    ...extra,
  }
}

const state = (i: Item): ItemState => ({ status: i.status, executionStatus: i.executionStatus, error: i.error, parameter: i.parameter, userAction: i.userAction })

const OPTIONS: FlowOptions = {
  hasToken: true,
  includeSandbox: true,
  connectorIds: [],
  connectorTypes: [],
  countries: [],
  products: [],
  updateItem: null,
  selectedConnectorId: null,
  autoUpdate: false,
  allowConnectInBackground: false,
  embedded: true,
}

/** Drives the flow through events, keeping every message and effect. */
class Run {
  state: FlowState
  screen: Screen = { name: 'loading' }
  messages: HostMessage[] = []
  effects: Effect[] = []
  lastEffects: Effect[] = []

  constructor(options: Partial<FlowOptions> = {}) {
    this.state = initialState({ ...OPTIONS, ...options })
  }

  send(...events: FlowEvent[]): this {
    for (const event of events) {
      const result = transition(this.state, event)
      this.state = result.state
      this.screen = result.screen
      this.messages.push(...result.messages)
      this.effects.push(...result.effects)
      this.lastEffects = result.effects
    }
    return this
  }

  /** Host events by name, in order. */
  events(): string[] {
    return this.messages.flatMap((m) => (m.type === 'event' ? [m.event] : [m.type.toUpperCase()]))
  }
}

describe('the Connect flow', () => {
  it('2-step MFA: events in the reference’s order and names, one read per status, success told once the item is read whole', () => {
    const run = new Run({ connectorIds: [2] }).send({ type: 'start' })
    expect(run.lastEffects).toEqual([{ type: 'load-connectors', query: 'sandbox=true&ids=2' }])
    run.send({ type: 'connectors-loaded', connectors: [MFA_BANK] })
    // One institution asked for: its form at once, without a way back to a list.
    expect(run.screen).toMatchObject({ name: 'credentials', mode: 'create', canGoBack: false, busy: false, connector: { id: 2 } })

    run.send({ type: 'credentials-submitted', parameters: { user: 'user-ok', password: 'password-ok' } })
    expect(run.lastEffects).toEqual([{ type: 'create-item', body: { connectorId: 2, parameters: { user: 'user-ok', password: 'password-ok' } } }])
    expect(run.screen).toMatchObject({ name: 'credentials', busy: true })
    // The credentials went to the request only: the state keeps none.
    expect(JSON.stringify(run.state)).not.toContain('password-ok')

    const created = item(1, 'CREATED')
    run.send({ type: 'item-answered', request: 'create-item', item: created })
    expect(run.lastEffects).toEqual([{ type: 'follow', item: created }])
    run.send({ type: 'live', state: state(created), executionId: 'e1' })
    expect(run.screen).toMatchObject({ name: 'progress', step: 'CREATED' })

    const waiting = item(2, 'WAITING_USER_INPUT', { parameter: TOKEN_PARAMETER })
    run.send({ type: 'live', state: state(waiting), executionId: 'e1' }, { type: 'item-retrieved', item: waiting })
    expect(run.screen).toMatchObject({ name: 'mfa', parameter: { name: 'token' }, busy: false })

    run.send({ type: 'mfa-submitted', values: { token: '123456' } })
    expect(run.lastEffects).toEqual([{ type: 'send-mfa', itemId: ITEM_ID, values: { token: '123456' } }])
    const answered = item(3, 'LOGIN_MFA_IN_PROGRESS')
    run.send({ type: 'item-answered', request: 'send-mfa', item: answered })
    expect(run.lastEffects).toEqual([{ type: 'offer', item: answered }])
    // A late read of the question already answered does not ask it again.
    run.send({ type: 'live', state: state(answered), executionId: 'e1' }, { type: 'live', state: state(waiting), executionId: 'e1' })
    expect(run.screen).toMatchObject({ name: 'progress', step: 'LOGIN_MFA_IN_PROGRESS' })

    const accounts = item(4, 'ACCOUNTS_IN_PROGRESS')
    const merging = item(5, 'MERGING')
    run.send({ type: 'live', state: state(accounts), executionId: 'e1' }, { type: 'item-retrieved', item: accounts }, { type: 'item-retrieved', item: merging })
    const done = item(6, 'SUCCESS', { statusDetail: { accounts: { isUpdated: true, lastUpdatedAt: null }, creditCards: { isUpdated: false, lastUpdatedAt: null } } })
    run.send({ type: 'live', state: state(done), executionId: 'e1' })
    expect(run.lastEffects).toEqual([{ type: 'stop-following' }, { type: 'retrieve-item', itemId: ITEM_ID }])
    // The outcome waits for that read; the screen stays.
    expect(run.screen).toMatchObject({ name: 'progress', step: 'ACCOUNTS_IN_PROGRESS' })
    expect(run.messages.some((m) => m.type === 'success')).toBe(false)
    run.send({ type: 'item-retrieved', item: done })
    expect(run.screen).toEqual({ name: 'success', connector: MFA_BANK, failedProducts: ['creditCards'], canClose: true })

    expect(run.events()).toEqual([
      'OPEN',
      'SELECTED_INSTITUTION',
      'SUBMITTED_LOGIN',
      'ITEM_RESPONSE',
      'LOGIN_SUCCESS',
      'STEP_CHANGED',
      'WAITING_USER_INPUT',
      'ITEM_RESPONSE',
      'SUBMITTED_MFA',
      'ITEM_RESPONSE',
      'LOGIN_MFA_SUCCESS',
      'STEP_CHANGED',
      'STEP_CHANGED',
      'ITEM_RESPONSE',
      'LOGIN_STEP_COMPLETED',
      'ITEM_RESPONSE',
      'ITEM_RESPONSE',
      'CONNECTION_SUCCESS',
      'SUCCESS',
    ])
    const success = run.messages.at(-1)
    expect(success).toEqual({ type: 'success', item: done })
    const loginCompleted = run.messages.find((m) => m.type === 'event' && m.event === 'LOGIN_STEP_COMPLETED')
    expect(loginCompleted).toMatchObject({ item: { executionStatus: 'ACCOUNTS_IN_PROGRESS' } })
  })

  it('a refused login: the error is told with the item; new credentials then go to the same item', () => {
    const run = new Run().send({ type: 'start' }, { type: 'connectors-loaded', connectors: [PLAIN_BANK, MFA_BANK] })
    expect(run.screen).toMatchObject({ name: 'institutions', connectors: [PLAIN_BANK, MFA_BANK] })
    run.send({ type: 'institution-chosen', connector: PLAIN_BANK }, { type: 'credentials-submitted', parameters: { user: 'user-ok', password: 'wrong' } })
    const created = item(1, 'CREATED', {}, PLAIN_BANK)
    const refused = item(2, 'INVALID_CREDENTIALS', { error: { code: 'INVALID_CREDENTIALS', message: 'The credentials were rejected.' } }, PLAIN_BANK)
    run.send(
      { type: 'item-answered', request: 'create-item', item: created },
      { type: 'live', state: state(created), executionId: 'e1' },
      { type: 'live', state: state(refused), executionId: 'e1' },
      { type: 'item-retrieved', item: refused },
    )
    expect(run.screen).toMatchObject({ name: 'error', code: 'INVALID_CREDENTIALS', action: 'credentials', canChooseAnother: true, canClose: true })
    expect(run.messages.slice(-2)).toEqual([
      { type: 'event', event: 'CONNECTION_ERROR', item: refused, error: { code: 'INVALID_CREDENTIALS', message: 'The credentials were rejected.' } },
      { type: 'error', message: 'The credentials were rejected.', item: refused },
    ])
    // The login never passed: no LOGIN_STEP_COMPLETED.
    expect(run.events()).not.toContain('LOGIN_STEP_COMPLETED')

    run.send({ type: 'reenter-requested' })
    expect(run.screen).toMatchObject({ name: 'credentials', mode: 'reenter', canGoBack: false })
    run.send({ type: 'credentials-submitted', parameters: { user: 'user-ok', password: 'password-ok' } })
    expect(run.lastEffects).toEqual([{ type: 'update-item', itemId: ITEM_ID, parameters: { user: 'user-ok', password: 'password-ok' } }])
  })

  it('API refusals: field errors stay on the form, an expired token ends the page, a running item is followed instead', () => {
    const run = new Run({ connectorIds: [0] }).send({ type: 'start' }, { type: 'connectors-loaded', connectors: [PLAIN_BANK] })
    run.send({ type: 'credentials-submitted', parameters: { user: 'x' } })
    const validation = { status: 400, code: 'CONNECTOR_VALIDATION_ERROR', message: 'Invalid parameters.', details: [{ parameter: 'password', message: 'Password is required.' }], data: {} }
    run.send({ type: 'request-failed', request: 'create-item', failure: validation })
    expect(run.screen).toMatchObject({ name: 'credentials', busy: false, failure: validation })

    const expired = { status: 401, code: 'API_KEY_EXPIRED', message: 'The connect token has expired.', details: [], data: {} }
    const ended = new Run().send({ type: 'start' }, { type: 'request-failed', request: 'load-connectors', failure: expired })
    expect(ended.screen).toEqual({ name: 'fatal', failure: expired })
    expect(ended.messages.at(-1)).toEqual({ type: 'error', message: 'The connect token has expired.', item: null })

    const busy = new Run({ updateItem: ITEM_ID }).send({ type: 'start' }, { type: 'item-loaded', item: item(1, 'INVALID_CREDENTIALS', {}, PLAIN_BANK), purpose: 'open' })
    busy.send({ type: 'credentials-submitted', parameters: { user: 'user-ok', password: 'password-ok' } })
    busy.send({ type: 'request-failed', request: 'update-item', failure: { status: 409, code: 'ITEM_ALREADY_UPDATING', message: 'Already updating.', details: [], data: {} } })
    expect(busy.lastEffects).toEqual([{ type: 'load-item', itemId: ITEM_ID, purpose: 'attach' }])
    const running = item(2, 'LOGIN_IN_PROGRESS', {}, PLAIN_BANK)
    busy.send({ type: 'item-loaded', item: running, purpose: 'attach' })
    expect(busy.lastEffects).toEqual([{ type: 'follow', item: running }])
  })

  it('without a token: the page says so and the host hears it', () => {
    const run = new Run({ hasToken: false }).send({ type: 'start' })
    expect(run.screen).toEqual({ name: 'fatal', failure: null })
    expect(run.messages).toEqual([{ type: 'error', message: NO_TOKEN_MESSAGE, item: null }])
    expect(run.effects).toEqual([])
  })

  it('update mode: the saved credentials run at once when they can (autoUpdate), else the form; a 1-step code is always asked', () => {
    const updated = item(1, 'SUCCESS', {}, PLAIN_BANK)
    const auto = new Run({ updateItem: ITEM_ID, autoUpdate: true }).send({ type: 'start' })
    expect(auto.lastEffects).toEqual([{ type: 'load-item', itemId: ITEM_ID, purpose: 'open' }])
    auto.send({ type: 'item-loaded', item: updated, purpose: 'open' })
    expect(auto.lastEffects).toEqual([{ type: 'sync-item', itemId: ITEM_ID }])
    expect(auto.screen).toMatchObject({ name: 'progress' })
    // Running the saved credentials submits none: ITEM_RESPONSE, but no LOGIN_SUCCESS.
    auto.send({ type: 'item-answered', request: 'sync-item', item: item(2, 'CREATED', {}, PLAIN_BANK) })
    expect(auto.events()).toEqual(['OPEN', 'ITEM_RESPONSE', 'ITEM_RESPONSE'])

    const asked = new Run({ updateItem: ITEM_ID }).send({ type: 'start' }, { type: 'item-loaded', item: updated, purpose: 'open' })
    expect(asked.screen).toMatchObject({ name: 'credentials', mode: 'update', canSyncAsIs: true })
    asked.send({ type: 'sync-requested' })
    expect(asked.lastEffects).toEqual([{ type: 'sync-item', itemId: ITEM_ID }])

    const refused = new Run({ updateItem: ITEM_ID, autoUpdate: true }).send({ type: 'start' }, { type: 'item-loaded', item: item(1, 'INVALID_CREDENTIALS', {}, PLAIN_BANK), purpose: 'open' })
    expect(refused.screen).toMatchObject({ name: 'credentials', mode: 'update', canSyncAsIs: false })

    const oneStep = new Run({ updateItem: ITEM_ID, autoUpdate: true }).send({ type: 'start' }, { type: 'item-loaded', item: item(1, 'SUCCESS', {}, TOKEN_BANK), purpose: 'open' })
    expect(oneStep.screen).toMatchObject({ name: 'credentials', mode: 'update', canSyncAsIs: false })
  })

  it('selectedConnectorId opens that form with the list one step back; going back deselects it', () => {
    const run = new Run({ selectedConnectorId: 2 }).send({ type: 'start' }, { type: 'connectors-loaded', connectors: [PLAIN_BANK, MFA_BANK] })
    expect(run.screen).toMatchObject({ name: 'credentials', connector: { id: 2 }, canGoBack: true })
    run.send({ type: 'back' })
    expect(run.screen).toMatchObject({ name: 'institutions' })
    expect(run.messages.filter((m) => m.type === 'event' && m.event === 'SELECTED_INSTITUTION')).toEqual([
      { type: 'event', event: 'SELECTED_INSTITUTION', connector: MFA_BANK },
      { type: 'event', event: 'SELECTED_INSTITUTION', connector: null },
    ])
  })

  it('closing: hidden while an execution runs when the host allows the background, else closed', () => {
    const started = (options: Partial<FlowOptions>) => {
      const created = item(1, 'CREATED', {}, PLAIN_BANK)
      return new Run({ connectorIds: [0], ...options })
        .send({ type: 'start' }, { type: 'connectors-loaded', connectors: [PLAIN_BANK] }, { type: 'credentials-submitted', parameters: { user: 'u', password: 'p' } })
        .send({ type: 'item-answered', request: 'create-item', item: created }, { type: 'live', state: state(created), executionId: 'e1' })
    }
    const background = started({ allowConnectInBackground: true }).send({ type: 'close-requested' })
    expect(background.messages.at(-1)).toEqual({ type: 'hide' })
    expect(background.lastEffects).toEqual([])
    const closed = started({}).send({ type: 'close-requested' })
    expect(closed.messages.slice(-2)).toEqual([{ type: 'event', event: 'CLOSE' }, { type: 'close' }])
    expect(closed.lastEffects).toEqual([{ type: 'stop-following' }])
  })

  it('device authorization: the approval screen through the follow-up’s login, and the follow-up’s login is told anew', () => {
    const run = new Run({ connectorIds: [0] }).send(
      { type: 'start' },
      { type: 'connectors-loaded', connectors: [PLAIN_BANK] },
      { type: 'credentials-submitted', parameters: { user: 'u', password: 'p' } },
    )
    const created = item(1, 'CREATED', {}, PLAIN_BANK)
    const pending = item(2, 'USER_AUTHORIZATION_PENDING', { status: 'OUTDATED', userAction: { type: 'APP', instructions: 'Approve it.', expiresAt: null } }, PLAIN_BANK)
    run.send({ type: 'item-answered', request: 'create-item', item: created }, { type: 'live', state: state(created), executionId: 'e1' }, { type: 'live', state: state(pending), executionId: 'e1' })
    expect(run.screen).toMatchObject({ name: 'authorization', userAction: { instructions: 'Approve it.' }, checking: false })
    run.send({ type: 'live', state: state(item(3, 'LOGIN_IN_PROGRESS', {}, PLAIN_BANK)), executionId: 'e2' })
    expect(run.screen).toMatchObject({ name: 'authorization', checking: true })
    const collecting = item(4, 'ACCOUNTS_IN_PROGRESS', {}, PLAIN_BANK)
    run.send({ type: 'live', state: state(collecting), executionId: 'e2' }, { type: 'item-retrieved', item: collecting })
    expect(run.screen).toMatchObject({ name: 'progress', step: 'ACCOUNTS_IN_PROGRESS' })
    expect(run.events().filter((e) => ['WAITING_USER_ACTION', 'LOGIN_STEP_COMPLETED'].includes(e))).toEqual(['WAITING_USER_ACTION', 'LOGIN_STEP_COMPLETED'])
  })

  it('Open Finance: the institution’s page while WAITING_USER_ACTION, told once; the return goes on to the progress, not to an outcome', () => {
    const run = new Run({ connectorIds: [0] }).send(
      { type: 'start' },
      { type: 'connectors-loaded', connectors: [PLAIN_BANK] },
      { type: 'credentials-submitted', parameters: { user: 'u', password: 'p' } },
    )
    const created = item(1, 'CREATED', {}, PLAIN_BANK)
    const userAction = { type: 'authorize-access', instructions: 'Authorize at the bank.', expiresAt: '2030-01-01T00:10:00.000Z', attributes: { url: 'https://bank.example/authorize?state=s' } }
    const waiting = item(2, 'WAITING_USER_ACTION', { status: 'WAITING_USER_ACTION', userAction }, PLAIN_BANK)
    run.send({ type: 'item-answered', request: 'create-item', item: created }, { type: 'live', state: state(created), executionId: 'e1' }, { type: 'live', state: state(waiting), executionId: 'e1' })
    expect(run.screen).toMatchObject({ name: 'authorization', userAction: { attributes: { url: userAction.attributes.url } } })
    run.send({ type: 'live', state: state(waiting), executionId: 'e1' })
    const back = item(3, 'LOGIN_MFA_IN_PROGRESS', {}, PLAIN_BANK)
    run.send({ type: 'live', state: state(back), executionId: 'e1' })
    expect(run.screen).toMatchObject({ name: 'progress', step: 'LOGIN_MFA_IN_PROGRESS' })
    expect(run.events().filter((e) => e === 'WAITING_USER_ACTION')).toEqual(['WAITING_USER_ACTION'])
  })
})
