/**
 * Monthly account statements (ACCOUNT_STATEMENTS): which months the institution has a statement
 * for, per account, and — when the institution hands one out — its PDF. Without a PDF, Tributary
 * renders the statement from the account's stored transactions when it is downloaded.
 */
export interface CollectedAccountStatement {
  /** `providerId` of the account (collected in this execution). */
  accountProviderId: string
  /** The month the statement covers, `YYYY-MM`. */
  month: string
  /** The institution's own PDF, when it gives one. */
  pdf?: Uint8Array | null
}
