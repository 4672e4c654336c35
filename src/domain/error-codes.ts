/**
 * Every `codeDescription` an HTTP answer can carry (the error body
 * `{ code, message, codeDescription, details?, data? }` of SPEC §3), with the HTTP status it
 * comes with and what it means. `Refusal` takes its code from here, so a misspelt code does not
 * compile; the OpenAPI document describes each route's errors from here; docs/errors.md lists
 * them all (test/errors-documented.test.ts holds the two together).
 *
 * An item's `error.code` after an execution (SPEC §2.2) is another matter: those codes come from
 * the execution outcomes in statuses.ts.
 */
export const ERROR_CODES = [
  // The request itself
  { code: 'VALIDATION_ERROR', statuses: [400], meaning: 'The body, query or path does not match the route’s schema; `details` lists each problem.' },
  { code: 'INVALID_JSON', statuses: [400], meaning: 'The body is not valid JSON.' },
  { code: 'INVALID_CONTENT_LENGTH', statuses: [400], meaning: 'The Content-Length header does not match the body.' },
  { code: 'BAD_URL', statuses: [400], meaning: 'The URL cannot be decoded (bad percent-encoding).' },
  { code: 'BAD_REQUEST', statuses: [400], meaning: 'The request could not be read (headers or body).' },
  { code: 'INVALID_CURSOR', statuses: [400], meaning: 'A pagination cursor that this API did not return.' },
  { code: 'PAYLOAD_TOO_LARGE', statuses: [413], meaning: 'The body is larger than 1 MiB.' },
  { code: 'UNSUPPORTED_MEDIA_TYPE', statuses: [415], meaning: 'The body is not application/json.' },
  { code: 'NOT_FOUND', statuses: [404], meaning: 'No such route (or resource of the server, such as a Connect asset).' },
  // Who is calling
  { code: 'API_KEY_MISSING', statuses: [401], meaning: 'No X-API-KEY header.' },
  { code: 'API_KEY_INVALID', statuses: [401], meaning: 'The key is malformed, wrongly signed or of an unknown kind.' },
  { code: 'API_KEY_EXPIRED', statuses: [401], meaning: 'The key is past its `exp` (API keys last 2 h, connect tokens 30 min).' },
  { code: 'API_KEY_IN_URL', statuses: [401], meaning: 'An API key was sent in the URL; only connect tokens may be.' },
  { code: 'CLIENT_KEYS_UNAUTHORIZED', statuses: [401], meaning: 'The clientId and clientSecret do not match an active client.' },
  { code: 'FORBIDDEN_FOR_CONNECT_TOKEN', statuses: [403], meaning: 'A connect token used outside its scope (another item, a listing, a server-only route).' },
  { code: 'DASHBOARD_SESSION_MISSING', statuses: [401], meaning: 'A dashboard request without a valid, unexpired session cookie.' },
  { code: 'DASHBOARD_CSRF_INVALID', statuses: [403], meaning: 'A state-changing dashboard request without the session’s CSRF token in X-CSRF-Token.' },
  { code: 'RATE_LIMIT_EXCEEDED', statuses: [429], meaning: 'Too many requests of this kind; Retry-After says when to retry.' },
  // Connectors and items
  { code: 'CONNECTOR_NOT_FOUND', statuses: [400, 404], meaning: 'No connector with that id (400 when creating an item, 404 on /connectors/{id}).' },
  { code: 'CONNECTOR_VALIDATION_ERROR', statuses: [400], meaning: 'The parameters do not match the connector’s credential fields; `details` says which.' },
  { code: 'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR', statuses: [400], meaning: 'An update of a 1-step MFA item without a new code; `data.parameter` names the field.' },
  { code: 'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR', statuses: [400], meaning: 'The 1-step code repeats the one the previous execution used (spelled as the reference API spells it).' },
  { code: 'PARAMETERS_NOT_PROVIDED', statuses: [400], meaning: 'An update of a LOGIN_ERROR item without `parameters`.' },
  { code: 'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES', statuses: [400], meaning: 'The same credentials failed twice in a row less than 15 minutes ago; `data.canRetryAfterDate` says when to retry.' },
  { code: 'ITEM_USER_ALREADY_EXISTS', statuses: [400], meaning: '`avoidDuplicates` and an item with the same credentials exists; `data.items` lists it.' },
  { code: 'ITEM_NOT_FOUND', statuses: [404], meaning: 'No such item for this client.' },
  { code: 'ITEM_ALREADY_UPDATING', statuses: [409], meaning: 'An execution of the item is in progress or waiting for input.' },
  { code: 'ITEM_NOT_WAITING_USER_INPUT', statuses: [404], meaning: 'An MFA value sent to an item that is not waiting for one (also the losing one of two concurrent posts).' },
  // Open Finance
  { code: 'OAUTH_STATE_INVALID', statuses: [400], meaning: 'A return from an institution’s authorization page whose `state` is unknown, already used, or past its window.' },
  {
    code: 'OAUTH_REDIRECT_URI_INVALID',
    statuses: [400],
    meaning: '`oauthRedirectUri` is not an https URL (http only on loopback), carries credentials or a fragment, or differs from the one the connect token allows.',
  },
  { code: 'CONSENT_NOT_FOUND', statuses: [404], meaning: 'No such consent for this client.' },
  {
    code: 'SANDBOX_CONSENT_PAGE_INVALID',
    statuses: [400],
    meaning: 'The sandbox institution’s authorization or consent page got a request it cannot accept (bad parameters, unknown or expired request, CSRF token mismatch).',
  },
  { code: 'SANDBOX_TOKEN_INVALID', statuses: [400, 401], meaning: 'The sandbox institution refused a code, refresh token (400) or access token (401).' },
  // Collected data
  { code: 'ACCOUNT_NOT_FOUND', statuses: [404], meaning: 'No such account for this client.' },
  { code: 'TRANSACTION_NOT_FOUND', statuses: [404], meaning: 'No such transaction for this client.' },
  { code: 'INVESTMENT_NOT_FOUND', statuses: [404], meaning: 'No such investment for this client.' },
  { code: 'IDENTITY_NOT_FOUND', statuses: [404], meaning: 'No identity was collected for the item, or no such identity.' },
  { code: 'BILL_NOT_FOUND', statuses: [404], meaning: 'No such credit-card bill for this client (also as a `billId` filter).' },
  { code: 'LOAN_NOT_FOUND', statuses: [404], meaning: 'No such loan for this client.' },
  { code: 'ACCOUNT_STATEMENT_NOT_FOUND', statuses: [404], meaning: 'No such account statement for this client.' },
  { code: 'CATEGORY_NOT_FOUND', statuses: [400, 404], meaning: 'No category with that id in GET /categories (400 when setting a transaction’s category, 404 on /categories/{id}).' },
  { code: 'STATEMENT_LINK_EXPIRED', statuses: [403], meaning: 'The statement link is past its 30 minutes; list the account’s statements again for a fresh one.' },
  { code: 'STATEMENT_LINK_INVALID', statuses: [403], meaning: 'The statement link was altered or not made by this server; use the `url` of GET /accounts/{id}/statements unchanged.' },
  // Webhooks
  { code: 'WEBHOOK_NOT_FOUND', statuses: [404], meaning: 'No such webhook for this client.' },
  { code: 'WEBHOOK_DELIVERY_NOT_FOUND', statuses: [404], meaning: 'No such webhook delivery for this client.' },
  { code: 'WEBHOOK_URL_INVALID', statuses: [400], meaning: 'Not an http(s) URL, carries credentials, or (with private targets disallowed) resolves to a private address.' },
  { code: 'IDEMPOTENCY_KEY_INVALID', statuses: [400], meaning: 'The Idempotency-Key header is not 1 to 255 printable characters without spaces.' },
  { code: 'IDEMPOTENCY_KEY_REUSED', statuses: [409], meaning: 'The Idempotency-Key was used in the last 24 hours for another request (another route, parameters or body).' },
  { code: 'IDEMPOTENCY_KEY_IN_USE', statuses: [409], meaning: 'A request with the same Idempotency-Key is still being handled; send it again after Retry-After to get its answer.' },
  { code: 'WEBHOOK_DUPLICATED', statuses: [400], meaning: 'A webhook for the same event and URL exists.' },
  { code: 'WEBHOOK_LIMIT_REACHED', statuses: [400], meaning: 'The client already has the most webhooks allowed for this event.' },
  // The sandbox control API (docs/sandbox.md)
  { code: 'SANDBOX_CONTROL_DISABLED', statuses: [404], meaning: 'The sandbox control API is off on this server (NODE_ENV=production without TRIBUTARY_SANDBOX_CONTROL=true).' },
  { code: 'SANDBOX_CONNECTOR_REQUIRED', statuses: [400], meaning: 'The item is not of a sandbox connector; the sandbox control API acts on sandbox institutions only.' },
  {
    code: 'SANDBOX_OUTCOME_INVALID',
    statuses: [400],
    meaning: 'The forced outcome cannot be kept as asked (failing products without PARTIAL_SUCCESS, USER_AUTHORIZATION_NOT_GRANTED once); `data.field` names the field.',
  },
  { code: 'SANDBOX_ITEM_HAS_NO_ACCOUNTS', statuses: [400], meaning: 'A transactions/* event fired for an item without accounts yet (and no accountId given).' },
  { code: 'SANDBOX_OUTAGE_NOT_FOUND', statuses: [404], meaning: 'The sandbox connector is in no outage for this client.' },
  { code: 'SANDBOX_USER_NOT_FOUND', statuses: [404], meaning: 'No custom sandbox user of that name for this client (one of TRIBUTARY_SANDBOX_USERS_FILE cannot be deleted).' },
  { code: 'SANDBOX_OUTCOME_NOT_FOUND', statuses: [404], meaning: 'No forced outcome is set for the item.' },
  // Payments (docs/payments.md)
  { code: 'PAYMENT_INSTITUTION_NOT_FOUND', statuses: [404], meaning: 'No payment institution with this id.' },
  { code: 'PAYMENT_CUSTOMER_NOT_FOUND', statuses: [404], meaning: 'No payment customer with this id for this client.' },
  { code: 'PAYMENT_RECIPIENT_NOT_FOUND', statuses: [404], meaning: 'No payment recipient with this id for this client.' },
  { code: 'PAYMENT_RECIPIENT_IN_USE', statuses: [409], meaning: 'The recipient is named by a payment request or a smart transfer and cannot be deleted.' },
  {
    code: 'PAYMENT_REQUEST_NOT_DELETABLE',
    statuses: [409],
    meaning: 'Money may still move for the request (authorized at the bank, scheduled, a Pix Automático authorization in force, inside a bulk payment); the message says what to do first.',
  },
  { code: 'PAYMENT_REQUEST_NOT_PAYABLE', statuses: [409], meaning: 'The request (or bulk payment) cannot start an intent now: one is in progress, or it was paid or authorized already.' },
  { code: 'PAYMENT_RECIPIENT_REQUIRED', statuses: [400], meaning: 'A payment request without recipientId, and the client has no default recipient.' },
  { code: 'PAYMENT_INTENT_NOT_FOUND', statuses: [404], meaning: 'No payment intent with this id for this client.' },
  { code: 'PAYMENT_CONNECTOR_UNSUPPORTED', statuses: [400], meaning: 'The connectorId of a payment intent is not an institution Tributary can initiate payments at.' },
  { code: 'PAYMENT_METHOD_UNSUPPORTED', statuses: [400], meaning: 'A paymentMethod other than PIX (the Pix QR top-up of a bulk payment).' },
  {
    code: 'PAYMENT_INTENT_NOT_PIX_PAYABLE',
    statuses: [409],
    meaning: 'The sandbox was asked to pay a Pix QR code the intent does not have, or no longer takes (paid already, expired, a consent intent).',
  },
  { code: 'PAYMENT_BULK_NOT_FOUND', statuses: [404], meaning: 'No bulk payment with this id for this client.' },
  { code: 'SMART_ACCOUNT_NOT_FOUND', statuses: [404], meaning: 'No smart account with this id for this client.' },
  { code: 'BULK_PAYMENT_NOT_DELETABLE', statuses: [409], meaning: 'The bulk payment’s top-up started (or it paid requests): it can no longer be deleted.' },
  { code: 'PAYMENT_REQUEST_NOT_FOUND', statuses: [404], meaning: 'No payment request with this id for this client.' },
  { code: 'PAYMENT_PAGE_FORM_INVALID', statuses: [400], meaning: 'The payment page got a form it cannot accept: its CSRF token is missing or stale.' },
  { code: 'PAYMENT_REQUEST_NOT_CANCELABLE', statuses: [400], meaning: 'The request is not in a state its schedule or Pix Automático authorization can be canceled from; the message says why.' },
  { code: 'SCHEDULED_PAYMENT_NOT_FOUND', statuses: [404], meaning: 'No scheduled payment with this id in this payment request.' },
  { code: 'SCHEDULED_PAYMENT_NOT_CANCELABLE', statuses: [400], meaning: 'The scheduled payment is finished, or its day has come (a payment can be canceled until the day before).' },
  { code: 'AUTOMATIC_PIX_PAYMENT_NOT_FOUND', statuses: [404], meaning: 'No Pix Automático payment with this id under this authorization.' },
  { code: 'AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE', statuses: [400], meaning: 'Payments are scheduled only under a Pix Automático authorization in force (`AUTHORIZED`).' },
  { code: 'AUTOMATIC_PIX_PAYMENT_REFUSED', statuses: [400], meaning: 'The Pix Automático payment cannot be retried or canceled now; the message gives the rule.' },
  { code: 'SMART_TRANSFER_PREAUTHORIZATION_NOT_FOUND', statuses: [404], meaning: 'No smart-transfer preauthorization with this id for this client.' },
  { code: 'SMART_TRANSFER_PREAUTHORIZATION_NOT_COMPLETED', statuses: [400], meaning: 'The preauthorization is not in force (`COMPLETED`): the payer has not authorized it, or it ended.' },
  { code: 'SMART_TRANSFER_PAYMENT_NOT_FOUND', statuses: [404], meaning: 'No smart-transfer payment with this id for this client.' },
  // The server
  { code: 'CONNECT_PAGE_UNAVAILABLE', statuses: [404], meaning: 'The Connect page could not be built on this server.' },
  { code: 'DATABASE_UNAVAILABLE', statuses: [503], meaning: 'The database does not answer: nothing was changed; send the request again after Retry-After seconds.' },
  { code: 'NOT_READY', statuses: [503], meaning: 'The database or the job queue does not answer (GET /ready).' },
  { code: 'UNEXPECTED_ERROR', statuses: [500], meaning: 'A bug: it was logged with its stack on the server.' },
] as const satisfies readonly { code: string; statuses: readonly number[]; meaning: string }[]

type ErrorCodeEntry = (typeof ERROR_CODES)[number]
export type ErrorCode = ErrorCodeEntry['code']
/** The HTTP statuses error answers come with. */
export type ErrorStatus = ErrorCodeEntry['statuses'][number]
/** The statuses `C` may come with. */
export type StatusOf<C extends ErrorCode> = Extract<ErrorCodeEntry, { code: C }>['statuses'][number]
/** The codes that may come with status `S`. */
export type CodeWithStatus<S extends ErrorStatus, E extends ErrorCodeEntry = ErrorCodeEntry> = E extends { code: infer C; statuses: readonly (infer T)[] } ? (S extends T ? C : never) : never

const BY_CODE: ReadonlyMap<string, ErrorCodeEntry> = new Map(ERROR_CODES.map((entry) => [entry.code, entry]))

/** The registry's entry for a code. */
export function errorCodeEntry(code: ErrorCode): ErrorCodeEntry {
  return BY_CODE.get(code)!
}
