// The reference's plain-JavaScript Connect SDK, as an application bundles it (here: onto window, for the test's host page).
import { PluggyConnect } from 'pluggy-connect-sdk'

window.PluggyConnect = PluggyConnect
