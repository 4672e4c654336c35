/** A few lines of DOM building instead of a framework: `h('p', { class: 'x' }, 'text')`; text is always text, never HTML. */

type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>
export type Child = Node | string | null | undefined | false

function apply(element: Element, attributes: Attributes, children: (Child | Child[])[]): void {
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
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  apply(element, attributes, children)
  return element
}

const SVG_NS = 'http://www.w3.org/2000/svg'

/** An SVG element: the timelines and charts are drawn by the page itself, no library. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag)
  apply(element, attributes, children)
  return element
}

/** Replaces an element's content. */
export function mount(target: Element, ...children: (Child | Child[])[]): void {
  target.replaceChildren()
  apply(target, {}, children)
}

let counter = 0
export function uid(prefix: string): string {
  counter += 1
  return `${prefix}-${counter}`
}

/** A duration for people: 850 ms, 12.3 s, 4 min 05 s. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')} s`
}
