/**
 * JSON with object keys sorted, recursively: two values equal as data give the same text whatever
 * order their keys were built in, so the text can be hashed to tell whether data changed.
 * `undefined` members are left out (as JSON.stringify does).
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      break
    default:
      return 'null'
  }
  if (value === null) return 'null'
  // As JSON.stringify does: a Date (or anything with toJSON) is written as what toJSON returns.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON())
  if (Array.isArray(value)) {
    let out = ''
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i])
    return `[${out}]`
  }
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  // Built by code, most objects list few keys: an insertion sort beats Array#sort here.
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]
    let j = i - 1
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j]
      j--
    }
    keys[j + 1] = key
  }
  let out = ''
  for (const key of keys) {
    const member = record[key]
    if (member === undefined || typeof member === 'function') continue
    out += `${out ? ',' : ''}${PLAIN_KEY.test(key) ? `"${key}"` : JSON.stringify(key)}:${canonicalJson(member)}`
  }
  return `{${out}}`
}

const PLAIN_KEY = /^[A-Za-z0-9_$]+$/
