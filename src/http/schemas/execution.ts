import { z } from 'zod'
import { EXECUTION_STATUSES, PRODUCTS, TRIGGERS } from '../../domain/statuses.ts'
import { DateTime, NullableDateTime } from './date-time.ts'
import { ItemError } from './item.ts'
import { pageOf } from './page.ts'

export const ExecutionStep = z.object({ status: z.enum(EXECUTION_STATUSES), startedAt: DateTime, finishedAt: NullableDateTime })

/** One sync of an item with its timeline (an extension of the reference API). */
export const Execution = z.strictObject({
  id: z.uuid(),
  itemId: z.uuid(),
  status: z.enum(EXECUTION_STATUSES),
  triggeredBy: z.enum(TRIGGERS),
  createdAt: DateTime,
  finishedAt: NullableDateTime,
  error: ItemError.nullable(),
  products: z.array(z.enum(PRODUCTS)),
  failedProducts: z.array(z.enum(PRODUCTS)),
  steps: z.array(ExecutionStep).describe('Every status the execution passed through, in order'),
})
export type Execution = z.infer<typeof Execution>

export const ExecutionPage = pageOf(Execution).describe('The item’s executions, newest first')
