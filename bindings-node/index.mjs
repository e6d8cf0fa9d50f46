// ESM entry: the same module instance as require('cashi'), so classes (and instanceof
// CashiError and its subclasses) are shared between code that imports and code that requires.
import cashi from './index.js'

export const {
  Cashi,
  Webhook,
  CashiError,
  InvalidRequestError,
  APIError,
  AuthenticationError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  ServerError,
  APIConnectionError,
  APITimeoutError,
  DecodeError,
  SignatureVerificationError,
  WebhookPayloadError,
  PaymentMismatchError,
  InternalError,
  Order,
  PaymentStatus,
  WebhookEvent,
  sign,
  ERROR_CODES,
  VERSION,
  SIGNATURE_HEADER,
} = cashi

export default cashi
