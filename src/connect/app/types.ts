/** The API shapes the Connect page reads (SPEC §3.2, §3.3), as far as it uses them. */
// Type-only imports: erased from the browser bundle, so the page and the server share one definition.
import type { CredentialField as ConnectorCredentialField, SelectOption } from '../../connectors/sdk/types.ts'
import type { ItemError, MfaParameter, UserAction } from '../../domain/lifecycle.ts'

export type { ItemError, MfaParameter, SelectOption, UserAction }

/** A connector's credential field, or an MFA parameter (which may carry `data`: an image or text to show). */
export type CredentialField = ConnectorCredentialField & { data?: string }

export interface Connector {
  id: number
  name: string
  imageUrl: string | null
  primaryColor: string | null
  type: string
  country: string
  credentials: CredentialField[]
  hasMFA: boolean
  products: string[]
  isSandbox: boolean
}

/** What the page needs to know about an item at one instant (an item, or an `item/status` event). */
export interface ItemState {
  status: string
  executionStatus: string
  error: ItemError | null
  parameter: MfaParameter | null
  userAction: UserAction | null
}

export interface StatusDetailEntry {
  isUpdated: boolean
  lastUpdatedAt: string | null
}

export interface Item extends ItemState {
  id: string
  connector: Connector | null
  statusDetail: Record<string, StatusDetailEntry | null> | null
  createdAt: string
  updatedAt: string
  lastUpdatedAt: string | null
  clientUserId: string | null
}

export interface Page<T> {
  page: number
  total: number
  totalPages: number
  results: T[]
}
