import { lookup } from 'node:dns/promises'
import net from 'node:net'

/** Loopback, private, link-local (cloud metadata), unique-local, unspecified and CGNAT ranges. */
const PRIVATE_RANGES = new net.BlockList()
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE_RANGES.addSubnet(address, prefix, 'ipv4')
for (const [address, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE_RANGES.addSubnet(address, prefix, 'ipv6')

export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) return PRIVATE_RANGES.check(mapped[1], 'ipv4')
  const family = net.isIP(ip)
  if (family === 0) return true
  return PRIVATE_RANGES.check(ip, family === 4 ? 'ipv4' : 'ipv6')
}

/** Why a webhook URL is refused, or null when it is acceptable. */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'must be a valid absolute URL'
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must use http or https'
  if (parsed.username || parsed.password) return 'must not carry credentials; use custom headers instead'
  return null
}

/**
 * Resolves the URL's host and refuses it when any address is private (unless allowed). Delivery
 * connects to the address checked here, so DNS cannot change between the check and the request.
 */
export async function resolveDeliveryAddress(url: URL, allowPrivate: boolean): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await lookup(host, { all: true })
  if (addresses.length === 0) throw new Error(`${host} does not resolve`)
  if (!allowPrivate) {
    const blocked = addresses.find((a) => isPrivateAddress(a.address))
    if (blocked) throw new Error(`${host} resolves to a private address (${blocked.address}); private webhook targets are disabled`)
  }
  return addresses[0]
}

/** Why a URL cannot receive webhooks here (shape, then the private-address rule), or null. */
export async function webhookTargetProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  const problem = webhookUrlProblem(url)
  if (problem) return problem
  if (allowPrivate) return null
  try {
    await resolveDeliveryAddress(new URL(url), false)
    return null
  } catch (error) {
    return `is refused: ${(error as Error).message}`
  }
}
