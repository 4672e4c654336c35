import { PRODUCTS_IN_STEP_ORDER, PRODUCT_DETAIL_KEY, type Product, type StatusDetailKey } from './statuses.ts'

export interface ProductWarning {
  code: string
  message: string
  providerMessage?: string
}

export interface StatusDetailEntry {
  isUpdated: boolean
  lastUpdatedAt: string | null
  warnings: ProductWarning[]
}

/** Per product (SPEC §2.7): null when the product was not requested or the connector lacks it. */
export type StatusDetail = Partial<Record<StatusDetailKey, StatusDetailEntry | null>>

/**
 * `statusDetail` after an execution that reached the merge: one entry per product it collected
 * (a failed product keeps the time it was last collected), null for the others.
 */
export function statusDetailAfter(
  previous: StatusDetail | null,
  execution: { products: readonly Product[]; failedProducts: readonly Product[]; warnings: Partial<Record<Product, ProductWarning[]>> },
  at: Date,
): StatusDetail {
  const detail: StatusDetail = {}
  for (const product of PRODUCTS_IN_STEP_ORDER) {
    const key = PRODUCT_DETAIL_KEY[product]
    if (!execution.products.includes(product)) {
      detail[key] = null
      continue
    }
    const failed = execution.failedProducts.includes(product)
    detail[key] = {
      isUpdated: !failed,
      lastUpdatedAt: failed ? (previous?.[key]?.lastUpdatedAt ?? null) : at.toISOString(),
      warnings: execution.warnings[product] ?? [],
    }
  }
  return detail
}

/** `statusDetail` with every product key present, null for products not collected. */
export function completeStatusDetail(detail: StatusDetail | null): StatusDetail | null {
  if (!detail) return null
  return Object.fromEntries(PRODUCTS_IN_STEP_ORDER.map((p) => [PRODUCT_DETAIL_KEY[p], detail[PRODUCT_DETAIL_KEY[p]] ?? null]))
}
