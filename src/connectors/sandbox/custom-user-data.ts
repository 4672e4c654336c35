/**
 * The data of a custom sandbox user (`ctx.sandbox.customUser`): what its JSON document says the
 * institution holds, in the shapes every sandbox product has. Products the document does not
 * describe are empty, except the identity, which is the institution's generated one for the user
 * name when the document gives none.
 */
import { transactionTypeOf, type CollectedAccount, type CollectedIdentity, type CollectedTransaction, type CustomSandboxUser } from '../sdk/index.ts'
import type { SandboxProducts } from './sandbox-data-cache.ts'

export function customUserProducts(user: CustomSandboxUser, generated: () => SandboxProducts): SandboxProducts {
  const owner = user.identity?.fullName ?? null
  const accountsOf = (type: 'BANK' | 'CREDIT'): CollectedAccount[] =>
    user.accounts
      .filter((a) => a.type === type)
      .map((a) => ({ providerId: a.id, type: a.type, subtype: a.subtype, number: a.number, name: a.name, balance: a.balance, currencyCode: a.currencyCode, owner }))
  return {
    accounts: () => accountsOf('BANK'),
    creditCards: () => accountsOf('CREDIT'),
    transactions: (accountProviderIds) =>
      user.accounts
        .filter((a) => !accountProviderIds || accountProviderIds.has(a.id))
        .flatMap((a) =>
          a.transactions.map(
            (t): CollectedTransaction => ({
              providerId: t.id,
              accountProviderId: a.id,
              date: `${t.date}T00:00:00.000Z`,
              description: t.description,
              currencyCode: a.currencyCode,
              amount: t.amount,
              status: t.status,
              type: transactionTypeOf(a.type, t.amount),
            }),
          ),
        ),
    investments: () => user.investments.map((i) => ({ providerId: i.id, name: i.name, type: i.type, balance: i.balance, currencyCode: i.currencyCode })),
    investmentTransactions: () => [],
    paymentData: () => [],
    identity: (): CollectedIdentity => {
      const identity = user.identity
      if (!identity) return generated().identity()
      const documentType = identity.document === null ? null : identity.document.length === 11 ? 'CPF' : 'CNPJ'
      return {
        fullName: identity.fullName,
        document: identity.document,
        documentType,
        taxNumber: identity.document,
        birthDate: identity.birthDate ? `${identity.birthDate}T00:00:00.000Z` : null,
        emails: identity.emails.map((value) => ({ value })),
        phoneNumbers: identity.phoneNumbers.map((value) => ({ value })),
      }
    },
    opportunities: () => [],
    loans: () => [],
    accountStatements: () => [],
  }
}
