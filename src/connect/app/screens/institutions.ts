import { h, icon, logo } from '../dom.ts'
import type { MessageKey } from '../i18n.ts'
import type { ScreenContext, ScreenOf, ScreenView } from './screen.ts'

const TYPE_KEYS: Record<string, MessageKey> = {
  PERSONAL_BANK: 'type.PERSONAL_BANK',
  BUSINESS_BANK: 'type.BUSINESS_BANK',
  INVESTMENT: 'type.INVESTMENT',
  TELECOMMUNICATION: 'type.TELECOMMUNICATION',
  DIGITAL_ECONOMY: 'type.DIGITAL_ECONOMY',
  PAYMENT_ACCOUNT: 'type.PAYMENT_ACCOUNT',
  OTHER: 'type.OTHER',
}

const normalize = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()

/** The institution list: search by name (accents ignored), filter by type, sandbox institutions badged. */
export function mountInstitutions(screen: ScreenOf<'institutions'>, { t, dispatch }: ScreenContext): ScreenView<ScreenOf<'institutions'>> {
  const connectors = screen.connectors
  const types = [...new Set(connectors.map((c) => c.type))].sort()
  const search = h('input', {
    id: 'institution-search',
    type: 'search',
    placeholder: t('institutions.searchPlaceholder'),
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-controls': 'institution-list',
  })
  const typeFilter = h(
    'select',
    { id: 'institution-type', 'aria-controls': 'institution-list' },
    h('option', { value: '' }, t('institutions.allTypes')),
    ...types.map((type) => h('option', { value: type }, TYPE_KEYS[type] ? t(TYPE_KEYS[type]!) : type)),
  )
  const list = h('ul', { id: 'institution-list', class: 'institution-list', 'aria-label': t('institutions.title') })
  const count = h('p', { class: 'count', 'aria-live': 'polite' })

  const show = () => {
    const words = normalize(search.value.trim())
    const type = typeFilter.value
    const shown = connectors.filter((c) => (!type || c.type === type) && (!words || normalize(c.name).includes(words)))
    list.replaceChildren(
      ...shown.map((connector) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'institution', onclick: () => dispatch({ type: 'institution-chosen', connector }) },
            logo(connector),
            h('span', { class: 'institution-name' }, connector.name),
            connector.isSandbox ? h('span', { class: 'badge', title: t('institutions.sandboxHint') }, t('app.sandbox')) : null,
          ),
        ),
      ),
    )
    count.textContent = shown.length === 0 ? t('institutions.none') : shown.length === 1 ? t('institutions.countOne') : t('institutions.count', { count: shown.length })
  }
  search.addEventListener('input', show)
  typeFilter.addEventListener('change', show)
  show()
  return {
    nodes: [
      h('h1', {}, t('institutions.title')),
      h(
        'div',
        { class: 'filters', role: 'search' },
        h(
          'div',
          { class: 'field search-field' },
          h('label', { for: 'institution-search', class: 'field-label' }, t('institutions.search')),
          h('div', { class: 'input-with-icon' }, icon('search'), search),
        ),
        types.length > 1 ? h('div', { class: 'field type-field' }, h('label', { for: 'institution-type', class: 'field-label' }, t('institutions.type')), typeFilter) : null,
      ),
      count,
      list,
    ],
  }
}
