/**
 * The Connect page (GET /connect): the end user's side of the item lifecycle (SPEC §2).
 *
 * It runs for one of three hosts: the reference's Connect SDK (the page is its zoid child; options
 * and callbacks arrive as `window.xprops`), connect.js (an overlay iframe or a popup; options in the
 * URL fragment, messages by postMessage), or nobody (a link opened directly). The flow is the same
 * for all three (flow/transition.ts); only where options come from and where messages go differ.
 */
import { ConnectApp } from './connect-app.ts'
import { PostMessageHost } from './hosts/post-message-host.ts'
import { connectToSdk, isSdkChild, SdkHost } from './hosts/sdk-host.ts'
import { parseOrigin, readOptions, readSdkOptions, urlWithoutToken } from './options.ts'

function boot(): void {
  const root = document.getElementById('app')
  if (!root) return
  const languages = navigator.languages ?? [navigator.language]
  if (isSdkChild(window.name)) {
    // A zoid version the SDK does not speak throws here, with zoid's own words, on the console.
    const props = connectToSdk()
    document.documentElement.dataset.host = 'sdk'
    new ConnectApp(root, readSdkOptions(props, languages), new SdkHost(props)).start()
    return
  }
  const options = readOptions(window.location, languages)
  // The token leaves the address bar (and the history entry) before anything else happens.
  if (options.connectToken) window.history.replaceState(null, '', urlWithoutToken(window.location.href))
  // Embedded in an iframe, or opened as a popup by connect.js: messages go to that window.
  const target: Window | null = window.parent !== window ? window.parent : ((window.opener as Window | null) ?? null)
  const parentOrigin = target ? (options.parentOrigin ?? parseOrigin(document.referrer)) : null
  new ConnectApp(root, options, new PostMessageHost(target, parentOrigin)).start()
}

boot()
