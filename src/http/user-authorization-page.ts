import { createHash } from 'node:crypto'

// The page a user sees back from an institution when the application gave no oauthRedirectUri:
// opened as a popup (the Connect page), it closes itself — the Connect page follows the item's
// status on its own; opened otherwise, it says the application may be returned to.
const SCRIPT = 'if (window.opener) { setTimeout(function () { window.close() }, 300) }'

export const returnPage = {
  scriptHash: createHash('sha256').update(SCRIPT).digest('base64'),
  html(granted: boolean): string {
    const message = granted ? 'Authorization received. The connection goes on by itself; you can return to the application.' : 'The authorization was not granted. You can return to the application.'
    return [
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
      '<meta name="referrer" content="no-referrer"><title>Tributary</title>',
      '<style>body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:32rem;padding:0 1rem;color:#222}</style></head>',
      `<body><main><h1>${granted ? 'Done' : 'Not authorized'}</h1><p id="message">${message}</p></main><script>${SCRIPT}</script></body></html>`,
    ].join('')
  },
}
