// ESM entry: the same module instance as require('cashi'), so classes (and instanceof
// CashiError) are shared between code that imports and code that requires.
import cashi from './index.js'

export const {
  Cashi,
  Webhook,
  CashiError,
  Order,
  PaymentStatus,
  WebhookEvent,
  sign,
  ERROR_CODES,
  VERSION,
  SIGNATURE_HEADER,
} = cashi

export default cashi
