import { PRODUCTS } from '../../domain/statuses.ts'
import { PRODUCT_FETCHER, type ConnectorDefinition } from './types.ts'

/** A connector definition that breaks the SDK's contract; the message names the connector. */
export class ConnectorContractError extends Error {
  constructor(connector: string, problem: string) {
    super(`connector ${connector}: ${problem}`)
    this.name = 'ConnectorContractError'
  }
}

/**
 * Declares a connector. Checks the definition once, so a broken connector fails at load time
 * with a message that names it, not in the middle of an execution.
 * @example
 * export default defineConnector({
 *   id: 1000, name: 'My Bank', type: 'PERSONAL_BANK', country: 'BR', hasMFA: false,
 *   credentials: [{ name: 'user', label: 'User', type: 'text' }, { name: 'password', label: 'Password', type: 'password' }],
 *   products: ['ACCOUNTS'],
 *   async login(ctx) { if (ctx.credentials.password !== 'secret') throw invalidCredentials() },
 *   async fetchAccounts() { return [] },
 * })
 */
export function defineConnector<T extends ConnectorDefinition>(definition: T): Readonly<T> {
  const name = `${definition?.name ?? '(unnamed)'} (id ${definition?.id})`
  const fail = (problem: string): never => {
    throw new ConnectorContractError(name, problem)
  }
  if (!Number.isInteger(definition.id) || definition.id < 0) fail('id must be a non-negative integer')
  if (typeof definition.name !== 'string' || definition.name.trim() === '') fail('name is required')
  if (typeof definition.login !== 'function') fail('login(ctx) is required')
  if (!Array.isArray(definition.credentials) || definition.credentials.length === 0) fail('declare at least one credential field')
  const names = new Set<string>()
  for (const field of definition.credentials) {
    if (!field.name || !field.label) fail('every credential field needs a name and a label')
    if (names.has(field.name)) fail(`credential field "${field.name}" is declared twice`)
    names.add(field.name)
    if (field.validation !== undefined) {
      try {
        new RegExp(field.validation)
      } catch {
        fail(`credential field "${field.name}" has an invalid validation regex`)
      }
    }
    if (field.type === 'select' && !(field.options && field.options.length > 0)) fail(`select field "${field.name}" needs options`)
  }
  if (!Array.isArray(definition.products) || definition.products.length === 0) fail('declare at least one product')
  for (const product of definition.products) {
    if (!PRODUCTS.includes(product)) fail(`unknown product "${product}"`)
    const fetcher = PRODUCT_FETCHER[product]
    if (typeof definition[fetcher] !== 'function') fail(`product ${product} is declared but ${fetcher}() is missing`)
  }
  if (definition.logout !== undefined && typeof definition.logout !== 'function') fail('logout, when given, must be a function logout(ctx)')
  if (definition.trustsDevice && !definition.hasMFA) fail('trustsDevice needs hasMFA: true')
  return Object.freeze({ ...definition })
}
