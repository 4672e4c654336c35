import http from 'node:http'

/**
 * The load generator, run as its own process so that it does not share the event loop of the
 * server it measures: `load-client.ts <url> <headers-json> <connections> <duration-ms>` prints
 * the completed requests per second (a request that does not answer 200 fails the run).
 */
const [url, headersJson, connectionsText, durationText] = process.argv.slice(2)
const headers = JSON.parse(headersJson) as Record<string, string>
const connections = Number(connectionsText)
const durationMs = Number(durationText)
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
process.stdout.write(JSON.stringify({ requestsPerSecond: (done / (performance.now() - started)) * 1000 }))
