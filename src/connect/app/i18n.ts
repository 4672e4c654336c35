/**
 * The Connect page's words, in English and Brazilian Portuguese. The Portuguese dictionary must
 * have every key of the English one (the compiler checks it), and the step and error tables are
 * typed by the domain's own lists, so a new execution status or error code cannot go unnamed.
 */
import type { ErrorOutcome, StepStatus } from '../../domain/statuses.ts'

export const LANGUAGES = ['en', 'pt-BR'] as const
export type Language = (typeof LANGUAGES)[number]

/** `error.code` values of SPEC §2.2: the error outcomes, with ERROR spelled UNEXPECTED_ERROR. */
export type ErrorCode = Exclude<ErrorOutcome, 'ERROR'> | 'UNEXPECTED_ERROR'

/** What the error screen offers (SPEC §2.2: LOGIN_ERROR → new credentials, OUTDATED → retry). */
export type ErrorAction = 'credentials' | 'retry' | 'contact-bank' | 'other-institution'

export interface ErrorText {
  title: string
  body: string
}

const en = {
  'app.title': 'Connect your account',
  'app.close': 'Close',
  'app.back': 'Back',
  'app.secured': 'Your credentials go straight to the server, encrypted, and are never stored in this browser.',
  'app.loading': 'Loading…',
  'app.sandbox': 'Sandbox',
  'app.optional': 'optional',
  'app.required': 'required',

  'institutions.title': 'Choose your institution',
  'institutions.search': 'Search institutions',
  'institutions.searchPlaceholder': 'Bank name',
  'institutions.type': 'Type',
  'institutions.allTypes': 'All types',
  'institutions.none': 'No institution matches your search.',
  'institutions.count': '{count} institutions',
  'institutions.countOne': '1 institution',
  'institutions.sandboxHint': 'Test institution with fake data',

  'type.PERSONAL_BANK': 'Personal bank',
  'type.BUSINESS_BANK': 'Business bank',
  'type.INVESTMENT': 'Investments',
  'type.TELECOMMUNICATION': 'Telecom',
  'type.DIGITAL_ECONOMY': 'Digital economy',
  'type.PAYMENT_ACCOUNT': 'Payment account',
  'type.OTHER': 'Other',

  'credentials.title': 'Sign in to {name}',
  'credentials.updateTitle': 'Update your connection to {name}',
  'credentials.retryTitle': 'Try again with {name}',
  'credentials.intro': 'Use the same details you use on {name}’s website or app.',
  'credentials.updateIntro': 'Enter your details again to refresh the connection.',
  'credentials.retryIntro': 'This institution needs a fresh code for every connection.',
  'credentials.submit': 'Connect',
  'credentials.submitUpdate': 'Update connection',
  'credentials.syncNow': 'Sync now with the saved credentials',
  'credentials.orSync': 'Nothing changed at your bank?',
  'credentials.showPassword': 'Show {label}',
  'credentials.hidePassword': 'Hide {label}',
  'credentials.choose': 'Choose…',
  'credentials.fixErrors': 'Please check the highlighted fields.',
  'credentials.sending': 'Sending…',

  'validation.required': '{label} is required.',
  'validation.invalid': '{label} is not valid.',

  'progress.title': 'Connecting to {name}',
  'progress.hint': 'This usually takes less than a minute. You can keep this window open.',
  'progress.label': 'Progress',

  'step.CREATED': 'Getting ready…',
  'step.LOGIN_IN_PROGRESS': 'Signing in to your institution…',
  'step.LOGIN_MFA_IN_PROGRESS': 'Checking your code…',
  'step.ACCOUNTS_IN_PROGRESS': 'Collecting your accounts…',
  'step.CREDITCARDS_IN_PROGRESS': 'Collecting your credit cards…',
  'step.TRANSACTIONS_IN_PROGRESS': 'Collecting your transactions…',
  'step.INVESTMENTS_IN_PROGRESS': 'Collecting your investments…',
  'step.INVESTMENT_TRANSACTIONS_IN_PROGRESS': 'Collecting your investment history…',
  'step.PAYMENT_DATA_IN_PROGRESS': 'Collecting payment details…',
  'step.IDENTITY_IN_PROGRESS': 'Collecting your personal details…',
  'step.OPPORTUNITIES_IN_PROGRESS': 'Collecting credit offers…',
  'step.LOANS_IN_PROGRESS': 'Collecting loans…',
  'step.ACCOUNT_STATEMENTS_IN_PROGRESS': 'Collecting account statements…',
  'step.MERGING': 'Saving your data…',
  'step.WAITING_USER_INPUT': 'Waiting for your answer…',

  'mfa.title': '{name} needs a confirmation',
  'mfa.intro': 'Your institution asked for one more step to confirm it is you.',
  'mfa.submit': 'Continue',
  'mfa.timeLeft': 'Time left: {time}',
  'mfa.timeLeftAnnounce': '{seconds} seconds left to answer.',
  'mfa.expired': 'The time to answer ran out. Waiting for your institution…',
  'mfa.imageAlt': 'Challenge from {name}',
  'mfa.notWaiting': 'This code is no longer expected; see the next screen.',

  'authorization.title': 'Approve the access in your app',
  'authorization.waiting': 'Waiting for your approval… This screen moves on by itself once you approve.',
  'authorization.checking': 'Checking whether you approved…',
  'authorization.expires': 'Approve before {time}.',
  'institutionPage.title': 'Continue at {name}',
  'institutionPage.intro': 'You will log in at your institution’s own page and choose the data to share. Come back here when you are done.',
  'institutionPage.open': 'Go to {name}',
  'institutionPage.waiting': 'Waiting for you to finish at your institution… This screen moves on by itself.',
  'institutionPage.expires': 'Finish before {time}.',
  'institutionPage.blocked': 'The institution’s page could not open in a new window; this page will go there instead.',

  'success.title': 'Connected!',
  'success.body': 'Your {name} account is connected and your data has been collected.',
  'success.partial': 'Some data could not be collected this time: {products}. It will be tried again on the next update.',
  'success.done': 'Done',

  'product.accounts': 'accounts',
  'product.creditCards': 'credit cards',
  'product.transactions': 'transactions',
  'product.investments': 'investments',
  'product.investmentTransactions': 'investment history',
  'product.paymentData': 'payment details',
  'product.identity': 'personal details',
  'product.opportunities': 'credit offers',

  'error.reenter': 'Enter credentials again',
  'error.retry': 'Try again',
  'error.otherInstitution': 'Choose another institution',
  'error.contactBank': 'Please contact your institution to solve this; then you can connect again.',
  'error.bankSaid': 'Message from your institution:',
  'error.close': 'Close',

  'error.INVALID_CREDENTIALS.title': 'The credentials were not accepted',
  'error.INVALID_CREDENTIALS.body': 'Your institution did not accept these details. Check them and enter them again.',
  'error.INVALID_CREDENTIALS_MFA.title': 'The code was not accepted',
  'error.INVALID_CREDENTIALS_MFA.body': 'The confirmation code was wrong or expired. Sign in again to get a new one.',
  'error.ACCOUNT_LOCKED.title': 'Your account is locked',
  'error.ACCOUNT_LOCKED.body': 'Your institution has locked access to this account.',
  'error.ACCOUNT_CREDENTIALS_RESET.title': 'Your institution asks for a new password',
  'error.ACCOUNT_CREDENTIALS_RESET.body': 'Reset your password on your institution’s website or app, then enter the new one here.',
  'error.USER_NOT_SUPPORTED.title': 'This account type is not supported',
  'error.USER_NOT_SUPPORTED.body': 'This kind of account cannot be connected through this institution yet.',
  'error.USER_AUTHORIZATION_REVOKED.title': 'Access was revoked',
  'error.USER_AUTHORIZATION_REVOKED.body': 'The access was revoked at your institution. Sign in again to grant it.',
  'error.UNEXPECTED_ERROR.title': 'Something went wrong',
  'error.UNEXPECTED_ERROR.body': 'An unexpected problem interrupted the connection. Please try again.',
  'error.MERGE_ERROR.title': 'Your data could not be saved',
  'error.MERGE_ERROR.body': 'Your data was collected but could not be saved. Please try again.',
  'error.SITE_NOT_AVAILABLE.title': 'Your institution is unavailable',
  'error.SITE_NOT_AVAILABLE.body': 'Your institution’s service is down or in maintenance. Please try again later.',
  'error.CONNECTION_ERROR.title': 'Could not reach your institution',
  'error.CONNECTION_ERROR.body': 'The connection to your institution failed. Please try again.',
  'error.ALREADY_LOGGED_IN.title': 'Another session is open',
  'error.ALREADY_LOGGED_IN.body': 'You are signed in to your institution somewhere else. Sign out there, then try again.',
  'error.ACCOUNT_NEEDS_ACTION.title': 'Your institution needs you to do something',
  'error.ACCOUNT_NEEDS_ACTION.body': 'Open your institution’s website or app and complete the pending step (for example, accept new terms), then try again.',
  'error.USER_INPUT_TIMEOUT.title': 'The time to answer ran out',
  'error.USER_INPUT_TIMEOUT.body': 'The confirmation was not sent in time. Try again to get a new one.',
  'error.USER_AUTHORIZATION_PENDING.title': 'Waiting for your approval',
  'error.USER_AUTHORIZATION_PENDING.body': 'Approve the access in your institution’s app.',
  'error.USER_AUTHORIZATION_NOT_GRANTED.title': 'The approval did not arrive',
  'error.USER_AUTHORIZATION_NOT_GRANTED.body': 'The access was not approved in time. Try again and approve it in your institution’s app.',

  'api.NETWORK_ERROR': 'Could not reach the server. Check your connection and try again.',
  'api.SESSION_EXPIRED': 'This connection link has expired. Close this window and start again.',
  'api.FORBIDDEN': 'This connection link does not allow this action.',
  'api.ITEM_USER_ALREADY_EXISTS': 'You have already connected this account.',
  'api.TOO_MANY_CONSECUTIVE_LOGIN_FAILURES': 'These details were rejected twice. To protect your account from being locked, use different details or try again after {time}.',
  'api.RATE_LIMIT_EXCEEDED': 'Too many attempts. Wait a moment and try again.',
  'api.MFA_PARAMERTER_WAS_ALREADY_USED_ERROR': 'This code was already used. Enter a new one.',
  'api.ITEM_NOT_FOUND': 'This connection no longer exists.',
  'api.CONNECTOR_NOT_FOUND': 'This institution is not available.',
  'api.unknown': 'Something went wrong ({code}). Please try again.',

  'fatal.title': 'This page cannot continue',
  'fatal.noToken': 'This page needs a connect token. Open it from the application you are connecting to.',
}

export type MessageKey = keyof typeof en
type Dictionary = Record<MessageKey, string>

const ptBR: Dictionary = {
  'app.title': 'Conecte sua conta',
  'app.close': 'Fechar',
  'app.back': 'Voltar',
  'app.secured': 'Suas credenciais vão direto para o servidor, criptografadas, e nunca ficam guardadas neste navegador.',
  'app.loading': 'Carregando…',
  'app.sandbox': 'Sandbox',
  'app.optional': 'opcional',
  'app.required': 'obrigatório',

  'institutions.title': 'Escolha sua instituição',
  'institutions.search': 'Buscar instituições',
  'institutions.searchPlaceholder': 'Nome do banco',
  'institutions.type': 'Tipo',
  'institutions.allTypes': 'Todos os tipos',
  'institutions.none': 'Nenhuma instituição corresponde à busca.',
  'institutions.count': '{count} instituições',
  'institutions.countOne': '1 instituição',
  'institutions.sandboxHint': 'Instituição de teste com dados fictícios',

  'type.PERSONAL_BANK': 'Banco pessoa física',
  'type.BUSINESS_BANK': 'Banco empresarial',
  'type.INVESTMENT': 'Investimentos',
  'type.TELECOMMUNICATION': 'Telecom',
  'type.DIGITAL_ECONOMY': 'Economia digital',
  'type.PAYMENT_ACCOUNT': 'Conta de pagamento',
  'type.OTHER': 'Outros',

  'credentials.title': 'Entre no {name}',
  'credentials.updateTitle': 'Atualize sua conexão com {name}',
  'credentials.retryTitle': 'Tente novamente com {name}',
  'credentials.intro': 'Use os mesmos dados do site ou aplicativo do {name}.',
  'credentials.updateIntro': 'Informe seus dados novamente para renovar a conexão.',
  'credentials.retryIntro': 'Esta instituição pede um código novo a cada conexão.',
  'credentials.submit': 'Conectar',
  'credentials.submitUpdate': 'Atualizar conexão',
  'credentials.syncNow': 'Sincronizar agora com as credenciais salvas',
  'credentials.orSync': 'Nada mudou na sua instituição?',
  'credentials.showPassword': 'Mostrar {label}',
  'credentials.hidePassword': 'Ocultar {label}',
  'credentials.choose': 'Escolha…',
  'credentials.fixErrors': 'Confira os campos destacados.',
  'credentials.sending': 'Enviando…',

  'validation.required': '{label} é obrigatório.',
  'validation.invalid': '{label} não é válido.',

  'progress.title': 'Conectando ao {name}',
  'progress.hint': 'Isso costuma levar menos de um minuto. Você pode manter esta janela aberta.',
  'progress.label': 'Progresso',

  'step.CREATED': 'Preparando…',
  'step.LOGIN_IN_PROGRESS': 'Entrando na sua instituição…',
  'step.LOGIN_MFA_IN_PROGRESS': 'Conferindo seu código…',
  'step.ACCOUNTS_IN_PROGRESS': 'Coletando suas contas…',
  'step.CREDITCARDS_IN_PROGRESS': 'Coletando seus cartões de crédito…',
  'step.TRANSACTIONS_IN_PROGRESS': 'Coletando suas transações…',
  'step.INVESTMENTS_IN_PROGRESS': 'Coletando seus investimentos…',
  'step.INVESTMENT_TRANSACTIONS_IN_PROGRESS': 'Coletando o histórico dos seus investimentos…',
  'step.PAYMENT_DATA_IN_PROGRESS': 'Coletando dados de pagamento…',
  'step.IDENTITY_IN_PROGRESS': 'Coletando seus dados pessoais…',
  'step.OPPORTUNITIES_IN_PROGRESS': 'Coletando ofertas de crédito…',
  'step.LOANS_IN_PROGRESS': 'Coletando empréstimos…',
  'step.ACCOUNT_STATEMENTS_IN_PROGRESS': 'Coletando extratos…',
  'step.MERGING': 'Salvando seus dados…',
  'step.WAITING_USER_INPUT': 'Aguardando sua resposta…',

  'mfa.title': '{name} pede uma confirmação',
  'mfa.intro': 'Sua instituição pediu mais uma etapa para confirmar que é você.',
  'mfa.submit': 'Continuar',
  'mfa.timeLeft': 'Tempo restante: {time}',
  'mfa.timeLeftAnnounce': 'Faltam {seconds} segundos para responder.',
  'mfa.expired': 'O tempo para responder acabou. Aguardando sua instituição…',
  'mfa.imageAlt': 'Desafio do {name}',
  'mfa.notWaiting': 'Este código não é mais esperado; veja a próxima tela.',

  'authorization.title': 'Aprove o acesso no seu aplicativo',
  'authorization.waiting': 'Aguardando sua aprovação… Esta tela avança sozinha assim que você aprovar.',
  'authorization.checking': 'Verificando se você aprovou…',
  'authorization.expires': 'Aprove antes de {time}.',
  'institutionPage.title': 'Continue em {name}',
  'institutionPage.intro': 'Você vai entrar na página da sua instituição e escolher os dados que quer compartilhar. Volte aqui quando terminar.',
  'institutionPage.open': 'Ir para {name}',
  'institutionPage.waiting': 'Aguardando você terminar na instituição… Esta tela avança sozinha.',
  'institutionPage.expires': 'Termine antes de {time}.',
  'institutionPage.blocked': 'A página da instituição não abriu em uma nova janela; esta página vai até lá.',

  'success.title': 'Conectado!',
  'success.body': 'Sua conta do {name} está conectada e seus dados foram coletados.',
  'success.partial': 'Alguns dados não puderam ser coletados desta vez: {products}. Eles serão buscados de novo na próxima atualização.',
  'success.done': 'Concluir',

  'product.accounts': 'contas',
  'product.creditCards': 'cartões de crédito',
  'product.transactions': 'transações',
  'product.investments': 'investimentos',
  'product.investmentTransactions': 'histórico de investimentos',
  'product.paymentData': 'dados de pagamento',
  'product.identity': 'dados pessoais',
  'product.opportunities': 'ofertas de crédito',

  'error.reenter': 'Informar as credenciais de novo',
  'error.retry': 'Tentar novamente',
  'error.otherInstitution': 'Escolher outra instituição',
  'error.contactBank': 'Entre em contato com sua instituição para resolver isso; depois você pode conectar de novo.',
  'error.bankSaid': 'Mensagem da sua instituição:',
  'error.close': 'Fechar',

  'error.INVALID_CREDENTIALS.title': 'As credenciais não foram aceitas',
  'error.INVALID_CREDENTIALS.body': 'Sua instituição não aceitou esses dados. Confira e informe-os novamente.',
  'error.INVALID_CREDENTIALS_MFA.title': 'O código não foi aceito',
  'error.INVALID_CREDENTIALS_MFA.body': 'O código de confirmação estava errado ou expirou. Entre novamente para receber outro.',
  'error.ACCOUNT_LOCKED.title': 'Sua conta está bloqueada',
  'error.ACCOUNT_LOCKED.body': 'Sua instituição bloqueou o acesso a esta conta.',
  'error.ACCOUNT_CREDENTIALS_RESET.title': 'Sua instituição pede uma nova senha',
  'error.ACCOUNT_CREDENTIALS_RESET.body': 'Redefina sua senha no site ou aplicativo da instituição e depois informe a nova aqui.',
  'error.USER_NOT_SUPPORTED.title': 'Este tipo de conta não é suportado',
  'error.USER_NOT_SUPPORTED.body': 'Este tipo de conta ainda não pode ser conectado por esta instituição.',
  'error.USER_AUTHORIZATION_REVOKED.title': 'O acesso foi revogado',
  'error.USER_AUTHORIZATION_REVOKED.body': 'O acesso foi revogado na sua instituição. Entre novamente para autorizá-lo.',
  'error.UNEXPECTED_ERROR.title': 'Algo deu errado',
  'error.UNEXPECTED_ERROR.body': 'Um problema inesperado interrompeu a conexão. Tente novamente.',
  'error.MERGE_ERROR.title': 'Não foi possível salvar seus dados',
  'error.MERGE_ERROR.body': 'Seus dados foram coletados, mas não puderam ser salvos. Tente novamente.',
  'error.SITE_NOT_AVAILABLE.title': 'Sua instituição está indisponível',
  'error.SITE_NOT_AVAILABLE.body': 'O serviço da sua instituição está fora do ar ou em manutenção. Tente novamente mais tarde.',
  'error.CONNECTION_ERROR.title': 'Não foi possível falar com sua instituição',
  'error.CONNECTION_ERROR.body': 'A conexão com sua instituição falhou. Tente novamente.',
  'error.ALREADY_LOGGED_IN.title': 'Há outra sessão aberta',
  'error.ALREADY_LOGGED_IN.body': 'Você está conectado à sua instituição em outro lugar. Saia de lá e tente novamente.',
  'error.ACCOUNT_NEEDS_ACTION.title': 'Sua instituição precisa que você faça algo',
  'error.ACCOUNT_NEEDS_ACTION.body': 'Abra o site ou aplicativo da instituição e conclua a pendência (por exemplo, aceitar novos termos) e tente novamente.',
  'error.USER_INPUT_TIMEOUT.title': 'O tempo para responder acabou',
  'error.USER_INPUT_TIMEOUT.body': 'A confirmação não foi enviada a tempo. Tente novamente para receber outra.',
  'error.USER_AUTHORIZATION_PENDING.title': 'Aguardando sua aprovação',
  'error.USER_AUTHORIZATION_PENDING.body': 'Aprove o acesso no aplicativo da sua instituição.',
  'error.USER_AUTHORIZATION_NOT_GRANTED.title': 'A aprovação não chegou',
  'error.USER_AUTHORIZATION_NOT_GRANTED.body': 'O acesso não foi aprovado a tempo. Tente novamente e aprove no aplicativo da instituição.',

  'api.NETWORK_ERROR': 'Não foi possível falar com o servidor. Verifique sua conexão e tente novamente.',
  'api.SESSION_EXPIRED': 'Este link de conexão expirou. Feche esta janela e comece de novo.',
  'api.FORBIDDEN': 'Este link de conexão não permite esta ação.',
  'api.ITEM_USER_ALREADY_EXISTS': 'Você já conectou esta conta.',
  'api.TOO_MANY_CONSECUTIVE_LOGIN_FAILURES': 'Esses dados foram recusados duas vezes. Para evitar o bloqueio da sua conta, use outros dados ou tente depois de {time}.',
  'api.RATE_LIMIT_EXCEEDED': 'Muitas tentativas. Aguarde um pouco e tente novamente.',
  'api.MFA_PARAMERTER_WAS_ALREADY_USED_ERROR': 'Este código já foi usado. Informe um novo.',
  'api.ITEM_NOT_FOUND': 'Esta conexão não existe mais.',
  'api.CONNECTOR_NOT_FOUND': 'Esta instituição não está disponível.',
  'api.unknown': 'Algo deu errado ({code}). Tente novamente.',

  'fatal.title': 'Esta página não pode continuar',
  'fatal.noToken': 'Esta página precisa de um connect token. Abra-a pelo aplicativo que você está conectando.',
}

export const DICTIONARIES: Record<Language, Dictionary> = { en, 'pt-BR': ptBR }

/** In-progress step names, one per step of SPEC §2.2 plus the MFA pause. */
export const STEP_KEYS: Record<StepStatus | 'WAITING_USER_INPUT', MessageKey> = {
  CREATED: 'step.CREATED',
  LOGIN_IN_PROGRESS: 'step.LOGIN_IN_PROGRESS',
  LOGIN_MFA_IN_PROGRESS: 'step.LOGIN_MFA_IN_PROGRESS',
  ACCOUNTS_IN_PROGRESS: 'step.ACCOUNTS_IN_PROGRESS',
  CREDITCARDS_IN_PROGRESS: 'step.CREDITCARDS_IN_PROGRESS',
  TRANSACTIONS_IN_PROGRESS: 'step.TRANSACTIONS_IN_PROGRESS',
  INVESTMENTS_IN_PROGRESS: 'step.INVESTMENTS_IN_PROGRESS',
  INVESTMENT_TRANSACTIONS_IN_PROGRESS: 'step.INVESTMENT_TRANSACTIONS_IN_PROGRESS',
  PAYMENT_DATA_IN_PROGRESS: 'step.PAYMENT_DATA_IN_PROGRESS',
  IDENTITY_IN_PROGRESS: 'step.IDENTITY_IN_PROGRESS',
  OPPORTUNITIES_IN_PROGRESS: 'step.OPPORTUNITIES_IN_PROGRESS',
  LOANS_IN_PROGRESS: 'step.LOANS_IN_PROGRESS',
  ACCOUNT_STATEMENTS_IN_PROGRESS: 'step.ACCOUNT_STATEMENTS_IN_PROGRESS',
  MERGING: 'step.MERGING',
  WAITING_USER_INPUT: 'step.WAITING_USER_INPUT',
}

/** Every error code of SPEC §2.2: its screen and the action it offers. */
export const ERROR_SCREENS: Record<ErrorCode, { title: MessageKey; body: MessageKey; action: ErrorAction }> = {
  // LOGIN_ERROR: the stored credentials are not good any more; ask for new ones.
  INVALID_CREDENTIALS: { title: 'error.INVALID_CREDENTIALS.title', body: 'error.INVALID_CREDENTIALS.body', action: 'credentials' },
  INVALID_CREDENTIALS_MFA: { title: 'error.INVALID_CREDENTIALS_MFA.title', body: 'error.INVALID_CREDENTIALS_MFA.body', action: 'credentials' },
  ACCOUNT_CREDENTIALS_RESET: { title: 'error.ACCOUNT_CREDENTIALS_RESET.title', body: 'error.ACCOUNT_CREDENTIALS_RESET.body', action: 'credentials' },
  USER_AUTHORIZATION_REVOKED: { title: 'error.USER_AUTHORIZATION_REVOKED.title', body: 'error.USER_AUTHORIZATION_REVOKED.body', action: 'credentials' },
  // LOGIN_ERROR that the user cannot fix here.
  ACCOUNT_LOCKED: { title: 'error.ACCOUNT_LOCKED.title', body: 'error.ACCOUNT_LOCKED.body', action: 'contact-bank' },
  USER_NOT_SUPPORTED: { title: 'error.USER_NOT_SUPPORTED.title', body: 'error.USER_NOT_SUPPORTED.body', action: 'other-institution' },
  // OUTDATED: the credentials were accepted; the same item can simply run again.
  UNEXPECTED_ERROR: { title: 'error.UNEXPECTED_ERROR.title', body: 'error.UNEXPECTED_ERROR.body', action: 'retry' },
  MERGE_ERROR: { title: 'error.MERGE_ERROR.title', body: 'error.MERGE_ERROR.body', action: 'retry' },
  SITE_NOT_AVAILABLE: { title: 'error.SITE_NOT_AVAILABLE.title', body: 'error.SITE_NOT_AVAILABLE.body', action: 'retry' },
  CONNECTION_ERROR: { title: 'error.CONNECTION_ERROR.title', body: 'error.CONNECTION_ERROR.body', action: 'retry' },
  ALREADY_LOGGED_IN: { title: 'error.ALREADY_LOGGED_IN.title', body: 'error.ALREADY_LOGGED_IN.body', action: 'retry' },
  ACCOUNT_NEEDS_ACTION: { title: 'error.ACCOUNT_NEEDS_ACTION.title', body: 'error.ACCOUNT_NEEDS_ACTION.body', action: 'retry' },
  USER_INPUT_TIMEOUT: { title: 'error.USER_INPUT_TIMEOUT.title', body: 'error.USER_INPUT_TIMEOUT.body', action: 'retry' },
  USER_AUTHORIZATION_PENDING: { title: 'error.USER_AUTHORIZATION_PENDING.title', body: 'error.USER_AUTHORIZATION_PENDING.body', action: 'retry' },
  USER_AUTHORIZATION_NOT_GRANTED: { title: 'error.USER_AUTHORIZATION_NOT_GRANTED.title', body: 'error.USER_AUTHORIZATION_NOT_GRANTED.body', action: 'retry' },
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

export function pickLanguage(requested: string | null | undefined, browser: readonly string[] = []): Language {
  for (const candidate of [requested, ...browser]) {
    if (!candidate) continue
    const lower = candidate.toLowerCase()
    if (lower === 'pt-br' || lower === 'pt' || lower.startsWith('pt-')) return 'pt-BR'
    if (lower === 'en' || lower.startsWith('en-')) return 'en'
  }
  return 'en'
}

export function translator(language: Language): Translate {
  const dictionary = DICTIONARIES[language]
  return (key, values = {}) => dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}
