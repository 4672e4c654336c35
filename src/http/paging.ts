import { z } from 'zod'

/** `?page=&pageSize=` of a paged list whose pages hold `defaultSize` rows unless asked, at most 500. */
export function pageQuery(defaultSize: number) {
  return z.object({
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(defaultSize),
  })
}

/** `?page=&pageSize=` of a paged list (SPEC §3): pages of 20 unless asked, at most 500. */
export const PageQuery = pageQuery(20)

/**
 * The lists the reference pages 500 rows at a time by default (transactions, investments and their
 * movements — SPEC §7.2 and the reference's OpenAPI): a caller that reads one page gets them all.
 */
export const LongPageQuery = pageQuery(500)

/** The rows a page query asks for. */
export function pageWindow(query: { page: number; pageSize: number }): { limit: number; offset: number } {
  return { limit: query.pageSize, offset: (query.page - 1) * query.pageSize }
}

/** A page of a list: `{ page, total, totalPages, results }`. */
export function page<T>(results: T[], total: number, pageNumber: number, pageSize: number) {
  return { page: pageNumber, total, totalPages: Math.ceil(total / pageSize), results }
}
