import type { HostMessage } from '../flow/state.ts'

/** The application that opened the page, in whatever protocol it speaks (connect.js, or the reference's Connect SDK). */
export interface Host {
  /** The page runs inside the application's page or window: Close and Done make sense. */
  readonly embedded: boolean
  send(message: HostMessage): void
}
