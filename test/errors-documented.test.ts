import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONNECTOR_TYPES } from '../src/connectors/sdk/index.ts'
import { ERROR_OUTCOMES, EXECUTION_STATUSES, ITEM_STATUSES, PRODUCTS, TRIGGERS, errorCodeOf } from '../src/domain/statuses.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const documented = readFileSync(path.join(ROOT, 'docs/errors.md'), 'utf8')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return name === 'connect' ? [] : sources(full)
    return full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : []
  })
}

/**
 * Every UPPER_SNAKE literal in the HTTP and engine layers that is not a status, product or other
 * enumerated value: these are the codes an answer can carry.
 */
function emittableCodes(): Set<string> {
  const notCodes = new Set<string>([...ITEM_STATUSES, ...EXECUTION_STATUSES, ...PRODUCTS, ...TRIGGERS, ...CONNECTOR_TYPES])
  const codes = new Set<string>(ERROR_OUTCOMES.map(errorCodeOf))
  for (const file of [...sources(path.join(ROOT, 'src/http')), ...sources(path.join(ROOT, 'src/engine'))]) {
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(/(?:Refusal\(\s*'[a-z_]+',\s*|sendError\(\s*reply,\s*[^,]+,\s*)((?:[^'(),]*\?\s*)?'[A-Z][A-Z0-9_]+'(?:\s*:\s*'[A-Z][A-Z0-9_]+')?)/g)) {
      for (const code of match[1].matchAll(/'([A-Z][A-Z0-9_]+)'/g)) if (!notCodes.has(code[1])) codes.add(code[1])
    }
  }
  // The update guards' refusals are decided in the domain.
  for (const code of readFileSync(path.join(ROOT, 'src/domain/update-guards.ts'), 'utf8').matchAll(/code: '([A-Z][A-Z0-9_]+)'/g)) codes.add(code[1])
  return codes
}

describe('docs/errors.md', () => {
  it('documents every error code the code base can emit', () => {
    const codes = emittableCodes()
    // The scan itself must find the codes it is meant to find.
    for (const known of ['ITEM_ALREADY_UPDATING', 'API_KEY_EXPIRED', 'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES', 'UNEXPECTED_ERROR', 'INVALID_CREDENTIALS']) expect(codes).toContain(known)
    const missing = [...codes].filter((code) => !documented.includes(`\`${code}\``))
    expect(missing, `undocumented codes: ${missing.join(', ')}`).toEqual([])
  })
})
