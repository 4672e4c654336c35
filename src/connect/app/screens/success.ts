import { h, icon } from '../dom.ts'
import type { MessageKey } from '../i18n.ts'
import type { ScreenContext, ScreenOf, ScreenView } from './screen.ts'

const PRODUCT_KEYS: Record<string, MessageKey> = {
  accounts: 'product.accounts',
  creditCards: 'product.creditCards',
  transactions: 'product.transactions',
  investments: 'product.investments',
  investmentTransactions: 'product.investmentTransactions',
  paymentData: 'product.paymentData',
  identity: 'product.identity',
  opportunities: 'product.opportunities',
}

/** Connected; on PARTIAL_SUCCESS, the products that could not be collected. */
export function mountSuccess(screen: ScreenOf<'success'>, { t, dispatch }: ScreenContext): ScreenView<ScreenOf<'success'>> {
  const failed = screen.failedProducts.map((product) => (PRODUCT_KEYS[product] ? t(PRODUCT_KEYS[product]!) : product))
  return {
    nodes: [
      h(
        'div',
        { class: 'center' },
        h('div', { class: 'status-icon status-success' }, icon('check')),
        h('h1', {}, t('success.title')),
        h('p', {}, t('success.body', { name: screen.connector?.name ?? '' })),
        failed.length ? h('p', { class: 'notice' }, t('success.partial', { products: failed.join(', ') })) : null,
        screen.canClose ? h('button', { type: 'button', class: 'primary', onclick: () => dispatch({ type: 'close-requested' }) }, t('success.done')) : null,
      ),
    ],
  }
}
