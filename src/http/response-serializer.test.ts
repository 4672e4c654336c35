import { describe, expect, it } from 'vitest'
import { ResponseSerializationError } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { CHECK_ANSWERS, answerSerializerCompiler } from './response-serializer.ts'

const Answer = z.strictObject({ b: z.number(), a: z.string() })
const compile = (check: boolean) => answerSerializerCompiler(check)({ schema: Answer, method: 'GET', url: '/answer', httpStatus: '200' } as never)

describe('answerSerializerCompiler', () => {
  it('is on under the test runner, so the whole suite checks every answer against its schema', () => {
    expect(CHECK_ANSWERS).toBe(true)
  })

  it('writes an answer exactly as JSON.stringify does, in its own key order, when it matches the schema', () => {
    const answer = { a: 'x', b: 1 }
    expect(compile(true)(answer)).toBe(JSON.stringify(answer))
  })

  it('refuses, when checking, an answer with a field the schema does not describe or a field of the wrong type', () => {
    const serialize = compile(true)
    const stderr = console.error
    console.error = () => {}
    try {
      expect(() => serialize({ a: 'x', b: 1, extra: true })).toThrow(ResponseSerializationError)
      expect(() => serialize({ a: 'x', b: '1' })).toThrow(ResponseSerializationError)
    } finally {
      console.error = stderr
    }
  })

  it('does not look at the answer when not checking', () => {
    expect(compile(false)({ a: 'x', b: '1', extra: true })).toBe('{"a":"x","b":"1","extra":true}')
  })
})
