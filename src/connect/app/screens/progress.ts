import { STEP_ORDER } from '../../../domain/statuses.ts'
import { h } from '../dom.ts'
import { STEP_KEYS } from '../i18n.ts'
import { institutionHeader, type ScreenContext, type ScreenOf, type ScreenView } from './screen.ts'

type ProgressScreen = ScreenOf<'progress'>
const STEPS: readonly string[] = STEP_ORDER

/** The current step in plain words, with a progress bar. */
export function mountProgress(screen: ProgressScreen, { t }: ScreenContext): ScreenView<ProgressScreen> {
  const fill = h('div', { class: 'progress-fill' })
  const bar = h('div', { class: 'progress-bar', role: 'progressbar', 'aria-label': t('progress.label'), 'aria-valuemin': 0, 'aria-valuemax': 100 }, fill)
  const statusLine = h('p', { class: 'progress-step', role: 'status', 'aria-live': 'polite' })
  const update = (next: ProgressScreen) => {
    const words = t(STEP_KEYS[next.step as keyof typeof STEP_KEYS] ?? 'step.CREATED')
    const index = STEPS.indexOf(next.step)
    const percent = Math.round(((index < 0 ? 0 : index) + 1) * (100 / (STEPS.length + 1)))
    statusLine.textContent = words
    bar.setAttribute('aria-valuenow', String(percent))
    bar.setAttribute('aria-valuetext', words)
    fill.style.width = `${percent}%`
  }
  update(screen)
  const name = screen.connector?.name ?? ''
  return {
    nodes: [
      institutionHeader(screen.connector, t),
      h('h1', {}, t('progress.title', { name })),
      h('div', { class: 'spinner', 'aria-hidden': 'true' }),
      statusLine,
      bar,
      h('p', { class: 'hint' }, t('progress.hint')),
    ],
    update,
  }
}
