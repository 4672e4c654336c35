/**
 * Which pages may frame the Connect page (CSP frame-ancestors): this server's own, plus the
 * application origins an operator lists in TRIBUTARY_CONNECT_FRAME_ANCESTORS. A value that is not
 * an origin stops the start: a stray `;` would otherwise add a directive to the policy.
 */
const SOURCE_EXPRESSION = /^(?:https?:\/\/(?:\*\.)?[A-Za-z0-9.-]+(?::(?:\d{1,5}|\*))?|'self'|'none')$/

export const FRAME_ANCESTOR_EXAMPLES = 'https://app.example.com, https://*.example.com or http://localhost:*'

export function isFrameAncestor(source: string): boolean {
  return SOURCE_EXPRESSION.test(source)
}

/** The frame-ancestors directive: 'self' plus the configured origins (each checked). */
export function frameAncestorsDirective(origins: readonly string[] = []): string {
  for (const origin of origins) {
    if (!isFrameAncestor(origin)) throw new Error(`Connect frame ancestors: "${origin}" is not an origin (expected e.g. ${FRAME_ANCESTOR_EXAMPLES})`)
  }
  const sources = ["'self'", ...origins.filter((o) => o !== "'self'")]
  return `frame-ancestors ${sources.includes("'none'") ? "'none'" : sources.join(' ')}`
}
