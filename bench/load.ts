import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const CLIENT_SCRIPT = path.join(HERE, 'load-client.ts')

/**
 * Sends requests with `connections` concurrent keep-alive clients for `durationMs` from a separate
 * process (see load-client.ts) and returns the completed requests per second.
 */
export async function measureRequestsPerSecond(url: string, headers: Record<string, string>, connections: number, durationMs: number): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLIENT_SCRIPT, url, JSON.stringify(headers), String(connections), String(durationMs)], {
    cwd: path.resolve(HERE, '..'),
    timeout: durationMs + 60_000,
  })
  return (JSON.parse(stdout) as { requestsPerSecond: number }).requestsPerSecond
}
