import { z } from 'zod'

/** A page of a list (SPEC §3): `page` is 1-based; `totalPages` counts pages of the size asked. */
export function pageOf<T extends z.ZodType>(result: T) {
  return z.strictObject({
    page: z.number().int().min(1),
    total: z.number().int().min(0),
    totalPages: z.number().int().min(0),
    results: z.array(result),
  })
}

/** What a DELETE answers: how many resources it deleted. */
export const Deleted = z.strictObject({ count: z.number().int().min(0) }).describe('How many were deleted')
