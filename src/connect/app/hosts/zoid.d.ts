/** The part of zoid's frame build the Connect page uses (zoid ships no type declarations). */
declare module 'zoid/dist/zoid.frame.js' {
  export interface ZoidComponentOptions {
    tag: string
    url: string | (() => string)
    props?: Record<string, { type: 'string' | 'boolean' | 'number' | 'array' | 'object' | 'function'; required?: boolean }>
  }
  /** Registers a component; in a window zoid rendered for this tag, it also completes the child's handshake and sets `window.xprops`. */
  export function create(options: ZoidComponentOptions): { isChild(): boolean; xprops?: Record<string, unknown> }
}
