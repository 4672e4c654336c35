export { defineConnector, ConnectorContractError } from './define-connector.ts'
export * from './errors.ts'
export * from './types.ts'
