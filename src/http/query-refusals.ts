import { Refusal } from '../engine/refusal.ts'

/** A missing required query parameter, with the error shape of a validation failure. */
export function requiredQuery(name: string): never {
  throw new Refusal('bad_request', 'VALIDATION_ERROR', `The request is not valid: querystring.${name}: is required.`, {
    details: [{ parameter: `querystring.${name}`, message: 'is required' }],
  })
}

/** A query parameter whose value the schema accepted but the route cannot use. */
export function invalidQuery(name: string, message: string): never {
  throw new Refusal('bad_request', 'VALIDATION_ERROR', `The request is not valid: querystring.${name}: ${message}.`, {
    details: [{ parameter: `querystring.${name}`, message }],
  })
}
