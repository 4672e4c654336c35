/**
 * The contract with the reference's Connect SDKs, without a browser: what their callbacks receive
 * for each host message, the options read from their props, and the documentation's table of
 * everything they declare.
 */
import { readFile } from 'node:fs/promises'
import type { ConnectEventType, PluggyConnectProps } from 'pluggy-connect-sdk'
import type { PluggyConnectProps as ReactPluggyConnectProps } from 'react-pluggy-connect'
import { describe, expect, it } from 'vitest'
import { REFERENCE_EVENTS, type ReferenceEvent } from '../../src/connect/app/flow/state.ts'
import { sdkCalls } from '../../src/connect/app/hosts/sdk-calls.ts'
import { readSdkOptions } from '../../src/connect/app/options.ts'
import type { Connector, Item } from '../../src/connect/app/types.ts'

const ITEM_ID = '0b6f3a52-5f0c-4d0e-9d55-8a3f0e4b2c11'
const CONNECTOR: Connector = {
  id: 2,
  name: 'Sandbox Bank MFA 2-step',
  imageUrl: null,
  primaryColor: null,
  type: 'PERSONAL_BANK',
  country: 'BR',
  credentials: [{ name: 'user', label: 'User', type: 'text' }],
  hasMFA: true,
  products: ['ACCOUNTS'],
  isSandbox: true,
}
const ITEM: Item = {
  id: ITEM_ID,
  connector: CONNECTOR,
  status: 'UPDATED',
  executionStatus: 'SUCCESS',
  error: null,
  parameter: null,
  userAction: null,
  statusDetail: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:06.000Z',
  lastUpdatedAt: '2026-01-01T00:00:06.000Z',
  clientUserId: null,
}

describe('what the reference SDK’s callbacks receive', () => {
  it('names the same events as the SDK’s own ConnectEventType', () => {
    // Compile-time: each list holds the other's every name.
    const fromSdk: Record<ConnectEventType, true> = Object.fromEntries(REFERENCE_EVENTS.map((e) => [e, true])) as Record<ReferenceEvent, true>
    const fromPage: Record<ReferenceEvent, true> = fromSdk
    expect(Object.keys(fromPage).sort()).toEqual([...REFERENCE_EVENTS].sort())
  })

  it('gets the SDK’s argument shapes; Tributary’s own events stay with connect.js', () => {
    const done = ITEM
    expect(sdkCalls({ type: 'event', event: 'SELECTED_INSTITUTION', connector: CONNECTOR }, 7)).toEqual([
      { name: 'onEventProp', argument: { event: 'SELECTED_INSTITUTION', timestamp: 7, connector: CONNECTOR } },
    ])
    expect(sdkCalls({ type: 'event', event: 'SELECTED_INSTITUTION', connector: null }, 7)).toEqual([
      { name: 'onEventProp', argument: { event: 'SELECTED_INSTITUTION', timestamp: 7, connector: null } },
    ])
    expect(sdkCalls({ type: 'event', event: 'SUBMITTED_LOGIN', connector: CONNECTOR }, 7)).toEqual([{ name: 'onEventProp', argument: { event: 'SUBMITTED_LOGIN', timestamp: 7 } }])
    expect(sdkCalls({ type: 'event', event: 'ITEM_RESPONSE', item: done }, 7)).toEqual([{ name: 'onEventProp', argument: { event: 'ITEM_RESPONSE', timestamp: 7, item: done } }])
    for (const event of ['OPEN', 'STEP_CHANGED', 'WAITING_USER_INPUT', 'WAITING_USER_ACTION', 'CONNECTION_SUCCESS', 'CONNECTION_ERROR', 'CLOSE'] as const) {
      expect(sdkCalls({ type: 'event', event }, 7)).toEqual([])
    }
    expect(sdkCalls({ type: 'success', item: done }, 7)).toEqual([{ name: 'onSuccessProp', argument: { item: done } }])
    expect(sdkCalls({ type: 'error', message: 'Locked.', item: done }, 7)).toEqual([{ name: 'onErrorProp', argument: { message: 'Locked.', data: { item: done } } }])
    expect(sdkCalls({ type: 'error', message: 'No token.', item: null }, 7)).toEqual([{ name: 'onErrorProp', argument: { message: 'No token.' } }])
    expect(sdkCalls({ type: 'hide' }, 7)).toEqual([{ name: 'onHideProp' }, { name: 'hide' }, { name: 'postMessage', argument: '{"type":"CONTINUE_IN_BACKGROUND"}' }])
    // zoid's close: the SDK then calls onClose itself, once.
    expect(sdkCalls({ type: 'close' }, 7)).toEqual([{ name: 'close' }])
  })

  it('docs/connect.md has a row for every option, callback and event the SDKs declare', async () => {
    // Compile-time: the list holds every name the SDKs' types declare, and no other.
    const declared: Record<keyof ReactPluggyConnectProps | ConnectEventType, true> = {
      url: true,
      connectToken: true,
      includeSandbox: true,
      allowConnectInBackground: true,
      allowFullscreen: true,
      wideDesktopModal: true,
      connectorTypes: true,
      connectorIds: true,
      countries: true,
      updateItem: true,
      language: true,
      selectedConnectorId: true,
      theme: true,
      openFinanceParameters: true,
      moveSecurityData: true,
      products: true,
      forceOauthInBrowser: true,
      forceAskForCredentials: true,
      connectorSortAlphabetically: true,
      onSuccess: true,
      onError: true,
      onClose: true,
      onHide: true,
      onOpen: true,
      onEvent: true,
      innerRef: true,
      onLoadError: true,
      SUBMITTED_CONSENT: true,
      SELECTED_INSTITUTION: true,
      SUBMITTED_LOGIN: true,
      SUBMITTED_MFA: true,
      LOGIN_SUCCESS: true,
      LOGIN_MFA_SUCCESS: true,
      LOGIN_STEP_COMPLETED: true,
      ITEM_RESPONSE: true,
    }
    const docs = await readFile(new URL('../../docs/connect.md', import.meta.url), 'utf8')
    const section = docs.slice(docs.indexOf('## Using the reference'), docs.indexOf('## Opening it'))
    const rows = section.split('\n').filter((line) => /^\| `/.test(line))
    for (const name of Object.keys(declared)) {
      const row = rows.find((line) => line.split('|')[1]!.includes(`\`${name}`))
      expect(row, name).toMatch(/^\| [^|]+ \| (supported|not supported|not sent|sent|the SDK's own)/)
    }
  })

  it('reads the options from the SDK’s props, dropping what does not fit', () => {
    const props: Record<keyof PluggyConnectProps, unknown> = {
      url: 'https://tributary.example.com',
      connectToken: 'token',
      includeSandbox: true,
      allowConnectInBackground: true,
      allowFullscreen: false,
      wideDesktopModal: true,
      connectorTypes: ['PERSONAL_BANK', '<b>'],
      connectorIds: [2, 'x', 1.5],
      countries: ['br', 'USA'],
      updateItem: ITEM_ID.toUpperCase(),
      language: 'pt',
      selectedConnectorId: 2,
      theme: 'dark',
      openFinanceParameters: { cpf: '123.456.789-09', cnpj: 42 },
      moveSecurityData: '{}',
      products: ['ACCOUNTS', 'MOVE_SECURITY'],
      forceOauthInBrowser: true,
      forceAskForCredentials: true,
      connectorSortAlphabetically: true,
      onSuccess: undefined,
      onError: undefined,
      onClose: undefined,
      onHide: undefined,
      onOpen: undefined,
      onEvent: undefined,
    }
    expect(readSdkOptions(props, ['en-US'])).toEqual({
      connectToken: 'token',
      includeSandbox: true,
      connectorIds: [2],
      connectorTypes: ['PERSONAL_BANK'],
      countries: ['BR'],
      products: ['ACCOUNTS'],
      updateItem: ITEM_ID,
      selectedConnectorId: 2,
      language: 'pt-BR',
      theme: 'dark',
      autoUpdate: false,
      allowConnectInBackground: true,
      prefill: { cpf: '12345678909', cnpj: '42' },
      parentOrigin: null,
    })
    expect(readSdkOptions({ connectToken: 'token' }, ['en-US'])).toMatchObject({
      language: 'en',
      theme: 'light',
      autoUpdate: true,
      allowConnectInBackground: false,
      includeSandbox: false,
      prefill: {},
    })
  })
})
