import { z } from 'zod'

export const ApiKey = z.strictObject({ apiKey: z.string().describe('A JWT, valid for 2 hours: send it in X-API-KEY') }).describe('An API key')

export const ConnectToken = z
  .strictObject({ accessToken: z.string().describe('Valid for 30 minutes: send it in X-API-KEY, or as ?connectToken= on the event stream') })
  .describe('A connect token for the Connect widget')
