import { z } from 'zod'

/** An instant as the API writes it: ISO-8601 in UTC with milliseconds (`2026-01-02T03:04:05.678Z`). */
export const DateTime = z.iso.datetime()
export const NullableDateTime = DateTime.nullable()
