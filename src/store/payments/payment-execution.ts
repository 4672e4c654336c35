import type { Queryable } from '../database.ts'

/**
 * What the engine keeps to execute payments (migration 055): durable timers (CHECK_AT), the
 * payer's bank's ids for a payment, and the ledger of funds moved. One statement per function.
 *
 * Terminology:
 * - subject: the payment entity a timer, link or movement is about, by kind and id.
 * - check: a PAYMENT_CHECKS name (CONSENT_EXPIRY, PAYMENT_DATE, AUTHORIZATION_EXPIRY).
 * - leg: which payment of the subject money moved for ('' for its own; a request's id inside a bulk payment).
 */
export const PAYMENT_SUBJECT_KINDS = [
  'PAYMENT_REQUEST',
  'PAYMENT_INTENT',
  'BULK_PAYMENT',
  'SCHEDULED_PAYMENT',
  'AUTOMATIC_PIX_PAYMENT',
  'SMART_TRANSFER_PREAUTHORIZATION',
  'SMART_TRANSFER_PAYMENT',
] as const
export type PaymentSubjectKind = (typeof PAYMENT_SUBJECT_KINDS)[number]

export interface PaymentCheckRow {
  subjectKind: PaymentSubjectKind
  subjectId: string
  check: string
  dueAt: Date
  clientId: string
}

/** Arms a timer; arming the same one again (same subject, check and instant) changes nothing. */
export async function armPaymentCheck(db: Queryable, check: PaymentCheckRow, at: Date): Promise<void> {
  await db.query(
    `insert into payment_checks (subject_kind, subject_id, check_name, due_at, client_id, created_at) values ($1, $2, $3, $4, $5, $6)
     on conflict do nothing`,
    [check.subjectKind, check.subjectId, check.check, check.dueAt, check.clientId, at],
  )
}

/**
 * Fires up to `limit` timers due by `now` (the engine's clock): marks them fired and queues one
 * `task` job each (keyed by subject and check, so a timer fired twice queues one job), in one
 * statement. Answers the timers fired.
 */
export async function fireDuePaymentChecks(db: Queryable, now: Date, task: string, limit: number): Promise<PaymentCheckRow[]> {
  const { rows } = await db.query<PaymentCheckRow & { job: unknown }>(
    `with due as (
       select subject_kind, subject_id, check_name, due_at from payment_checks where fired_at is null and due_at <= $1
       order by due_at limit $2 for update skip locked
     ), fired as (
       update payment_checks c set fired_at = $1 from due
       where c.subject_kind = due.subject_kind and c.subject_id = due.subject_id and c.check_name = due.check_name and c.due_at = due.due_at
       returning c.subject_kind as "subjectKind", c.subject_id as "subjectId", c.check_name as "check", c.due_at as "dueAt", c.client_id as "clientId"
     )
     select fired.*, graphile_worker.add_job($3::text,
         json_build_object('subjectKind', fired."subjectKind", 'subjectId', fired."subjectId", 'check', fired."check", 'clientId', fired."clientId"),
         job_key := 'payment-check:' || fired."subjectKind" || ':' || fired."subjectId" || ':' || fired."check", max_attempts := 5) as job
     from fired`,
    [now, limit, task],
  )
  return rows.map(({ job: _job, ...row }) => row)
}

/** The earliest timer not fired yet (the hint for when the next pass is due). */
export async function nextPaymentCheckAt(db: Queryable): Promise<Date | undefined> {
  const { rows } = await db.query<{ at: Date | null }>(`select min(due_at) as at from payment_checks where fired_at is null`)
  return rows[0]?.at ?? undefined
}

export interface PaymentBankLink {
  subjectKind: PaymentSubjectKind
  subjectId: string
  clientId: string
  connectorId: number
  consentId: string | null
  paymentId: string | null
  debtorAccountId: string | null
}

/** Records (or completes) what the payer's bank knows a payment by; a field already set is kept. */
export async function saveBankLink(db: Queryable, link: PaymentBankLink, at: Date): Promise<void> {
  await db.query(
    `insert into payment_bank_links (subject_kind, subject_id, client_id, connector_id, consent_id, payment_id, debtor_account_id, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $8)
     on conflict (subject_kind, subject_id) do update set
       consent_id = coalesce(payment_bank_links.consent_id, excluded.consent_id),
       payment_id = coalesce(payment_bank_links.payment_id, excluded.payment_id),
       debtor_account_id = coalesce(payment_bank_links.debtor_account_id, excluded.debtor_account_id),
       updated_at = excluded.updated_at`,
    [link.subjectKind, link.subjectId, link.clientId, link.connectorId, link.consentId, link.paymentId, link.debtorAccountId, at],
  )
}

export async function findBankLink(db: Queryable, subjectKind: PaymentSubjectKind, subjectId: string): Promise<PaymentBankLink | undefined> {
  const { rows } = await db.query<PaymentBankLink>(
    `select subject_kind as "subjectKind", subject_id as "subjectId", client_id as "clientId", connector_id as "connectorId", consent_id as "consentId",
       payment_id as "paymentId", debtor_account_id as "debtorAccountId"
     from payment_bank_links where subject_kind = $1 and subject_id = $2`,
    [subjectKind, subjectId],
  )
  return rows[0]
}

export interface FundMovement {
  id: string
  clientId: string
  subjectKind: PaymentSubjectKind
  subjectId: string
  movement: string
  leg: string
  connectorId: number | null
  accountId: string
  amountCents: number
  at: Date
}

/** Records one leg of a payment; answers false when that leg was recorded before (a replayed step). */
export async function recordFundMovement(db: Queryable, movement: FundMovement): Promise<boolean> {
  const { rows } = await db.query(
    `insert into payment_fund_movements (id, client_id, subject_kind, subject_id, movement, leg, connector_id, account_id, amount_cents, at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict do nothing returning id`,
    [movement.id, movement.clientId, movement.subjectKind, movement.subjectId, movement.movement, movement.leg, movement.connectorId, movement.accountId, movement.amountCents, movement.at],
  )
  return rows.length > 0
}

/** What has left (`movement` = the debit) one account at one bank, and its latest movements. */
export async function accountMovements(db: Queryable, connectorId: number, accountId: string, movement: string, limit: number): Promise<{ totalCents: number; rows: FundMovement[] }> {
  const { rows } = await db.query<FundMovement & { total: string }>(
    `select id, client_id as "clientId", subject_kind as "subjectKind", subject_id as "subjectId", movement, leg, connector_id as "connectorId",
       account_id as "accountId", amount_cents::int as "amountCents", at, sum(amount_cents) over () as total
     from payment_fund_movements where connector_id = $1 and account_id = $2 and movement = $3 order by at desc, id limit $4`,
    [connectorId, accountId, movement, limit],
  )
  return { totalCents: Number(rows[0]?.total ?? 0), rows: rows.map(({ total: _t, ...r }) => r) }
}

export interface FundsParties {
  /** The payer's bank and their account there (from the intent whose consent pays the subject). */
  connectorId: number | null
  debtorAccountId: string | null
  recipientId: string | null
  /** The recipient's smart account, when the recipient is one. */
  recipientSmartAccountId: string | null
  /** The smart account a bulk payment's top-up credits. */
  bulkSmartAccountId: string | null
}

/**
 * Who pays and who is paid for a subject that moves money: an intent (its own bank link), a dated
 * payment (the bank link of its request's latest intent in `consentIntentStatus`), or a smart
 * transfer (the bank link of its preauthorization).
 */
export async function findFundsParties(db: Queryable, subjectKind: PaymentSubjectKind, subjectId: string, consentIntentStatus: string): Promise<FundsParties | undefined> {
  const { rows } = await db.query<FundsParties>(
    `with subject as (
       select i.payment_request_id as request_id, i.bulk_payment_id as bulk_id, null::uuid as recipient_id, 'PAYMENT_INTENT' as link_kind, i.id as link_id
       from payment_intents i where $1 = 'PAYMENT_INTENT' and i.id = $2
       union all
       select d.payment_request_id, null, null, 'PAYMENT_INTENT',
         (select id from payment_intents where payment_request_id = d.payment_request_id and status = $3 order by created_at desc limit 1)
       from (select id, payment_request_id from scheduled_payments where $1 = 'SCHEDULED_PAYMENT'
             union all select id, payment_request_id from automatic_pix_payments where $1 = 'AUTOMATIC_PIX_PAYMENT') d
       where d.id = $2
       union all
       select null, null, t.recipient_id, 'SMART_TRANSFER_PREAUTHORIZATION', t.preauthorization_id
       from smart_transfer_payments t where $1 = 'SMART_TRANSFER_PAYMENT' and t.id = $2
     )
     select l.connector_id as "connectorId", l.debtor_account_id as "debtorAccountId", coalesce(subject.recipient_id, r.recipient_id) as "recipientId",
       rc.smart_account_id as "recipientSmartAccountId", b.smart_account_id as "bulkSmartAccountId"
     from subject
     left join payment_bank_links l on l.subject_kind = subject.link_kind and l.subject_id = subject.link_id
     left join payment_requests r on r.id = subject.request_id
     left join payment_recipients rc on rc.id = coalesce(subject.recipient_id, r.recipient_id)
     left join bulk_payments b on b.id = subject.bulk_id`,
    [subjectKind, subjectId, consentIntentStatus],
  )
  return rows[0]
}

/**
 * Queues a `task` job for every intent not finished (up to `limit`, those untouched longest first),
 * keyed per intent: the sweep that resumes intents whose job a crash lost, and that looks again at
 * intents waiting for the bank. Answers how many were queued.
 */
export async function enqueueUnfinishedIntents(db: Queryable, task: string, limit: number): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `select count(graphile_worker.add_job($1::text, json_build_object('intentId', i.id), job_key := 'payment-intent:' || i.id, max_attempts := 5))::int as count
     from (select id from payment_intents where finished_at is null order by updated_at limit $2) i`,
    [task, limit],
  )
  return rows[0]?.count ?? 0
}

/** The bank link of a request's latest intent in `intentStatus` (the consent its dated payments are paid under). */
export async function findConsentLinkOfRequest(db: Queryable, paymentRequestId: string, intentStatus: string): Promise<PaymentBankLink | undefined> {
  const { rows } = await db.query<PaymentBankLink>(
    `select l.subject_kind as "subjectKind", l.subject_id as "subjectId", l.client_id as "clientId", l.connector_id as "connectorId", l.consent_id as "consentId",
       l.payment_id as "paymentId", l.debtor_account_id as "debtorAccountId"
     from payment_intents i join payment_bank_links l on l.subject_kind = 'PAYMENT_INTENT' and l.subject_id = i.id
     where i.payment_request_id = $1 and i.status = $2 order by i.created_at desc limit 1`,
    [paymentRequestId, intentStatus],
  )
  return rows[0]
}
