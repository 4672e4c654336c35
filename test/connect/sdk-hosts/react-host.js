// An application's React page using the reference's React Connect SDK, as its README shows; the
// test reads what the callbacks received from window.calls. Options come from #config.
import React from 'react'
import { createRoot } from 'react-dom/client'
import { PluggyConnect } from 'react-pluggy-connect'

const config = JSON.parse(document.getElementById('config').textContent)
window.calls = []
const record = (name) => (argument) => {
  window.calls.push({ name, argument: argument === undefined ? null : JSON.parse(JSON.stringify(argument)) })
}

function App() {
  return React.createElement(PluggyConnect, {
    ...config,
    onSuccess: record('onSuccess'),
    onError: record('onError'),
    onEvent: record('onEvent'),
    onOpen: record('onOpen'),
    onClose: record('onClose'),
    onHide: record('onHide'),
    onLoadError: (error) => record('onLoadError')(String(error)),
    innerRef: (instance) => {
      window.connect = instance
      record('innerRef')(instance ? Object.keys(instance).sort() : null)
    },
  })
}

createRoot(document.getElementById('root')).render(React.createElement(App))
