/** A few lines of DOM building instead of a framework: `h('p', { class: 'x' }, 'text')`. */

type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>
type Child = Node | string | null | undefined | false

let counter = 0
/** A page-unique element id. */
export function uid(prefix: string): string {
  counter += 1
  return `${prefix}-${counter}`
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value)
    else if (name === 'value' && 'value' in element) (element as HTMLInputElement).value = String(value)
    else element.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    element.append(typeof child === 'string' ? document.createTextNode(child) : child)
  }
  return element
}

/** Inline SVG icons (bundled: the page loads nothing from elsewhere). Decorative: hidden from screen readers. */
const ICONS = {
  back: 'M15 18l-6-6 6-6',
  close: 'M18 6L6 18M6 6l12 12',
  search: 'M11 19a8 8 0 1 1 5.3-14A8 8 0 0 1 11 19zm10 2l-4.35-4.35',
  check: 'M20 6L9 17l-5-5',
  alert: 'M12 9v4m0 4h.01M10.3 3.9L1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z',
  lock: 'M7 11V7a5 5 0 0 1 10 0v4M5 11h14v10H5z',
  phone: 'M7 2h10a1 1 0 0 1 1 1v18a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1zm5 17h.01',
  eye: 'M1 12s4-8 11-8 11 8 11 8-4 8-11 8S1 12 1 12zm11 3a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  eyeOff: 'M17.94 17.94A10 10 0 0 1 12 20C5 20 1 12 1 12a18 18 0 0 1 5.06-5.94M9.9 4.24A9 9 0 0 1 12 4c7 0 11 8 11 8a18 18 0 0 1-2.16 3.19M1 1l22 22',
  clock: 'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zm0-15v5l3 3',
} as const
export type IconName = keyof typeof ICONS

export function icon(name: IconName, className = 'icon'): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg'
  const svg = document.createElementNS(ns, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('class', className)
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('focusable', 'false')
  const path = document.createElementNS(ns, 'path')
  path.setAttribute('d', ICONS[name])
  svg.append(path)
  return svg
}

/**
 * An institution's logo: only a data: URL or one of this server's (the logos it serves itself) is shown, since the page makes no
 * request to other hosts; anything else becomes a monogram in the institution's colour.
 */
function isSameOrigin(url: string): boolean {
  if (url.startsWith('//') || url === '') return false
  try {
    return new URL(url, location.href).origin === location.origin
  } catch {
    return false
  }
}

export function logo(connector: { name: string; imageUrl: string | null; primaryColor: string | null }, size: 'small' | 'large' = 'small'): HTMLElement {
  const wrapper = h('span', { class: `logo logo-${size}`, 'aria-hidden': 'true' })
  const color = connector.primaryColor && /^#?[0-9a-f]{3,8}$/i.test(connector.primaryColor) ? (connector.primaryColor.startsWith('#') ? connector.primaryColor : `#${connector.primaryColor}`) : null
  if (color) wrapper.style.setProperty('--brand', color)
  const url = connector.imageUrl ?? ''
  if (/^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,/i.test(url) || isSameOrigin(url)) {
    wrapper.append(h('img', { src: url, alt: '', width: size === 'small' ? 40 : 56, height: size === 'small' ? 40 : 56, decoding: 'async' }))
  } else {
    const initials = connector.name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join('')
    wrapper.append(h('span', { class: 'monogram' }, initials || '?'))
  }
  return wrapper
}
