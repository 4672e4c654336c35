import { z } from 'zod'

export const Health = z.strictObject({ status: z.literal('ok') }).describe('The process is alive and its database answers')

export const Ready = z.strictObject({ status: z.literal('ready'), database: z.literal('ok'), queue: z.literal('ok') }).describe('The process can do its work: the database and the job queue answer')

export const Metrics = z.string().describe('Prometheus text format')
