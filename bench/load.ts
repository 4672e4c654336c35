import http from 'node:http'

/**
 * Sends requests with `connections` concurrent keep-alive clients for `durationMs` and returns the
 * completed requests per second (a request that does not answer 200 fails the run).
 */
export async function measureRequestsPerSecond(url: string, headers: Record<string, string>, connections: number, durationMs: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  const target = new URL(url)
  const get = () =>
    new Promise<number>((resolve, reject) => {
      const request = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, headers, agent }, (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
      })
      request.on('error', reject)
      request.end()
    })
  const deadline = performance.now() + durationMs
  let done = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const status = await get()
        if (status !== 200) throw new Error(`${url} answered ${status}`)
        done++
      }
    }),
  )
  agent.destroy()
  return (done / (performance.now() - started)) * 1000
}
