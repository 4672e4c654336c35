import { z } from 'zod'
import { pageOf } from './page.ts'

/** A category of the reference's transaction category tree (src/domain/categories.ts). */
export const Category = z.strictObject({
  id: z.string().describe('Eight digits: two per level of the tree'),
  description: z.string().describe('English name, as a transaction’s `category` carries it'),
  descriptionTranslated: z.string().describe('Portuguese name'),
  parentId: z.string().optional().describe('Absent on a top-level category'),
  parentDescription: z.string().optional(),
})
export type Category = z.infer<typeof Category>

export const CategoryPage = pageOf(Category).describe('The categories, parents before their children')

/** PATCH /transactions/{id}: the category the user chose. */
export const UpdateTransaction = z.strictObject({
  categoryId: z.string().max(20).describe('An id of GET /categories'),
})
