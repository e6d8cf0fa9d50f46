// Type declarations of the `cashi` package (the public layer of index.js). The results'
// fields are in records.d.ts, generated from the core's schemas; the native module
// underneath is described by native.d.ts, generated from the Rust source.

/// <reference types="node" />
import { EventEmitter } from 'node:events'
import type { IncomingHttpHeaders } from 'node:http'
import type {
  OrderFields,
  PaymentStatusFields,
  RetailCodeFields,
  VirtualAccountFields,
  WebhookEventFields,
} from './records'

export type { OrderFields, PaymentStatusFields, RetailCodeFields, VirtualAccountFields, WebhookEventFields }

/** The stable error codes, the same in every Cashi SDK (Python, Node, PHP, C). */
export type ErrorCode =
  | 'invalid_argument'
  | 'authentication'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'server'
  | 'api'
  | 'timeout'
  | 'connection'
  | 'decode'
  | 'signature_invalid'
  | 'webhook_payload'
  | 'payment_mismatch'
  | 'internal'

/** Every error code, in the core's fixed order. */
export declare const ERROR_CODES: readonly ErrorCode[]
/** The SDK version. */
export declare const VERSION: string
/** The header Cashi puts the webhook signature in: `x-gateway-signature`. */
export declare const SIGNATURE_HEADER: 'x-gateway-signature'

/**
 * Every failure of the SDK, thrown or rejected. Each code has its own subclass (the names
 * the Python SDK uses), so `instanceof` picks a failure out and narrows its type; `code`
 * says the same as the class.
 *
 * | class | code | when |
 * | --- | --- | --- |
 * | `InvalidRequestError` | `invalid_argument` | refused before sending (amount, order id, key, URL, options) |
 * | `AuthenticationError` | `authentication` | 401/403: wrong or missing API key |
 * | `NotFoundError` | `not_found` | 404: no such order |
 * | `ConflictError` | `conflict` | 409: the order id was already used |
 * | `RateLimitError` | `rate_limited` | 429, once the retries are spent |
 * | `ServerError` | `server` | 5xx |
 * | `APIError` | `api` | other 4xx, or `success:false`; the parent of the five above |
 * | `APITimeoutError` | `timeout` | no answer in time; `waitForPayment` at its deadline |
 * | `APIConnectionError` | `connection` | no connection, or it broke; the parent of `APITimeoutError` |
 * | `DecodeError` | `decode` | a 2xx answer that is not what Cashi sends; an order without a valid QR |
 * | `SignatureVerificationError` | `signature_invalid` | a webhook whose signature does not match its raw body |
 * | `WebhookPayloadError` | `webhook_payload` | a correctly signed webhook whose body is not a Cashi event |
 * | `PaymentMismatchError` | `payment_mismatch` | `confirm`: not SETTLED, or settled with another amount: do not fulfil |
 * | `InternalError` | `internal` | a bug in the SDK |
 */
export declare class CashiError extends Error {
  /**
   * The SDK makes these; constructing one yourself is for mocking the SDK in your tests.
   * The result is an instance of the code's class: `new CashiError('not_found', ...)` is a `NotFoundError`.
   */
  constructor(code: ErrorCode, message: string, details?: CashiErrorDetails)
  /** The class's name, e.g. `NotFoundError`. */
  readonly name: string
  readonly code: ErrorCode
  /** The HTTP status of Cashi's answer, when there was one. */
  readonly status: number | undefined
  /** `payment_mismatch` only: the order that was checked. */
  readonly orderId?: string
  /** `payment_mismatch` only: the amount you expected. */
  readonly expectedAmount?: number
  /** `payment_mismatch` only: the amount Cashi reports, or null if it reports none. */
  readonly actualAmount?: number | null
  /** `payment_mismatch` only: the status text Cashi reports (e.g. `PENDING`). */
  readonly paymentStatus?: string
}

/** `invalid_argument`: refused before anything was sent; the message names the field and the rule. */
export declare class InvalidRequestError extends CashiError {
  constructor(message: string, details?: CashiErrorDetails)
  static readonly code: 'invalid_argument'
  readonly name: 'InvalidRequestError'
  readonly code: 'invalid_argument'
}

/** The codes of an answer in which Cashi refused the request. */
export type APIErrorCode = 'api' | 'authentication' | 'not_found' | 'conflict' | 'rate_limited' | 'server'

/** `api`: Cashi answered with an error (another 4xx, or `success:false`); the parent of the errors for specific answers. */
export declare class APIError extends CashiError {
  constructor(message: string, details?: CashiErrorDetails)
  static readonly code: APIErrorCode
  readonly name: string
  readonly code: APIErrorCode
}

/** `authentication`: HTTP 401/403, the API key is missing, wrong or revoked. */
export declare class AuthenticationError extends APIError {
  static readonly code: 'authentication'
  readonly name: 'AuthenticationError'
  readonly code: 'authentication'
}

/** `not_found`: HTTP 404, Cashi knows no order with this id. */
export declare class NotFoundError extends APIError {
  static readonly code: 'not_found'
  readonly name: 'NotFoundError'
  readonly code: 'not_found'
}

/** `conflict`: HTTP 409, the order id is already taken. */
export declare class ConflictError extends APIError {
  static readonly code: 'conflict'
  readonly name: 'ConflictError'
  readonly code: 'conflict'
}

/** `rate_limited`: HTTP 429, still after the retries. */
export declare class RateLimitError extends APIError {
  static readonly code: 'rate_limited'
  readonly name: 'RateLimitError'
  readonly code: 'rate_limited'
}

/** `server`: HTTP 5xx after the retries. */
export declare class ServerError extends APIError {
  static readonly code: 'server'
  readonly name: 'ServerError'
  readonly code: 'server'
}

/**
 * `connection`: no connection to Cashi could be made, or it broke. When it broke after the
 * request was sent, the request may or may not have taken effect: check the order's status
 * before creating it again. The parent of `APITimeoutError`.
 */
export declare class APIConnectionError extends CashiError {
  constructor(message: string, details?: CashiErrorDetails)
  static readonly code: 'connection' | 'timeout'
  readonly name: string
  readonly code: 'connection' | 'timeout'
}

/** `timeout`: no answer in time, or `waitForPayment` reached its deadline. */
export declare class APITimeoutError extends APIConnectionError {
  static readonly code: 'timeout'
  readonly name: 'APITimeoutError'
  readonly code: 'timeout'
}

/** `decode`: a successful answer that is not the JSON Cashi sends, or a QR that is not a PNG. */
export declare class DecodeError extends CashiError {
  constructor(message: string, details?: CashiErrorDetails)
  static readonly code: 'decode'
  readonly name: 'DecodeError'
  readonly code: 'decode'
}

/** `signature_invalid`: a webhook whose signature does not match its raw body. Answer 400/401 and do nothing else. */
export declare class SignatureVerificationError extends CashiError {
  constructor(message: string, details?: CashiErrorDetails)
  static readonly code: 'signature_invalid'
  readonly name: 'SignatureVerificationError'
  readonly code: 'signature_invalid'
}

/** `webhook_payload`: a correctly signed webhook whose body is not a Cashi event; the message names the field. */
export declare class WebhookPayloadError extends CashiError {
  constructor(message: string, details?: CashiErrorDetails)
  static readonly code: 'webhook_payload'
  readonly name: 'WebhookPayloadError'
  readonly code: 'webhook_payload'
}

/** `payment_mismatch`: `confirm` found the order not SETTLED, or settled with another amount. Do not fulfil. */
export declare class PaymentMismatchError extends CashiError {
  constructor(message: string, details: PaymentMismatchDetails)
  static readonly code: 'payment_mismatch'
  readonly name: 'PaymentMismatchError'
  readonly code: 'payment_mismatch'
  /** The order that was checked. */
  readonly orderId: string
  /** The amount you expected (stored at create-order time). */
  readonly expectedAmount: number
  /** The amount Cashi reports, or null when it reports none. */
  readonly actualAmount: number | null
  /** The status text Cashi reports (e.g. `PENDING`). */
  readonly paymentStatus: string
}

/** `internal`: a bug in the SDK. Please report it. */
export declare class InternalError extends CashiError {
  constructor(message: string, details?: CashiErrorDetails)
  static readonly code: 'internal'
  readonly name: 'InternalError'
  readonly code: 'internal'
}

export interface CashiErrorDetails {
  status?: number
  orderId?: string
  expectedAmount?: number
  actualAmount?: number | null
  paymentStatus?: string
  cause?: unknown
}

export interface PaymentMismatchDetails extends CashiErrorDetails {
  orderId: string
  expectedAmount: number
  actualAmount: number | null
  paymentStatus: string
}

export interface CashiOptions {
  /** Your Cashi API key. Default: `process.env.CASHI_API_KEY`. */
  apiKey?: string
  /** Default: `process.env.CASHI_BASE_URL`, else `https://cashi.id/api`. Plain http only for loopback (a local sandbox). */
  baseUrl?: string
  /** Time allowed for one request, answer included. Default 30000; more than 0 and at most a day (86400000), as every duration the SDK takes. */
  timeoutMs?: number
  /** How often a failed request may be repeated (0–10). Default 2. create-order is repeated only when it surely never reached Cashi. */
  maxRetries?: number
  /**
   * A PEM file of CA certificates trusted besides the SDK's built-in roots (a TLS-inspecting proxy's, a private CA's).
   * Default: `process.env.CASHI_CA_BUNDLE`, else `SSL_CERT_FILE`; `NODE_EXTRA_CA_CERTS` is not read.
   */
  caBundle?: string
}

/** A payment channel (`kode_channel`); leave it out for standard QRIS. Codes Cashi adds later are passed through. */
export type Channel =
  'QRIS' | 'QRIS_CUSTOM' | 'BCA' | 'MANDIRI' | 'BNI' | 'BRI' | 'BSI' | 'ALFAMART' | 'INDOMARET' | (string & {})

export interface CreateOrderRequest {
  /** Whole rupiah (a number without fraction, or a bigint). QRIS: 2,000–10,000,000. Never rounded: 15000.5 is refused. */
  amount: number | bigint
  /** Your own unique id, e.g. `INV-9921` (1–100 characters). Recommended: it is how you find the order again. */
  orderId?: string
  channel?: Channel
  /**
   * Fields the SDK does not model, sent in the request body as given (written with
   * `JSON.stringify`), e.g. `{ callback_url: 'https://shop.example/cashi' }` or customer
   * details. At most 16 KiB as JSON. A key the SDK sets itself (`amount`, `order_id`,
   * `kode_channel`, `QRIS_CUSTOM`) is refused with `invalid_argument`. Fields of the answer
   * the SDK does not model are in the order's `raw`.
   */
  extra?: Record<string, unknown>
}

/** The status text Cashi sent (`status.status`, `event.status`); unknown words are carried unchanged. */
export type PaymentStatusText = 'PENDING' | 'SETTLED' | 'EXPIRED' | (string & {})

/** The virtual-account part of a VA order (`order.virtualAccount`), a plain object. */
export type VirtualAccount = VirtualAccountFields
/** Another name of `VirtualAccount`. */
export type VirtualAccountInfo = VirtualAccountFields
/** The payment code of a retail order (`order.retail`), a plain object. */
export type RetailCode = RetailCodeFields
/** Another name of `RetailCode`. */
export type RetailInfo = RetailCodeFields

// Each class below has the fields of its interface in records.d.ts (merged in), then `raw`.

/** An order as Cashi created it. Store `amount` (the amount to pay): the webhook carries it, and `confirm` needs it. */
export interface Order extends OrderFields {}
/** An order as Cashi created it. Store `amount` (the amount to pay): the webhook carries it, and `confirm` needs it. */
export declare class Order {
  private constructor()
  /** Cashi's whole answer, for fields newer than this SDK (built on its first read, then kept). */
  readonly raw: Record<string, unknown>
  /** The QR code as PNG bytes. Throws a `DecodeError` for orders without a QR (VA, retail). */
  qrPng(): Buffer
}

/** An order's payment status. `isSettled` is `status === 'SETTLED'`: exactly that word. */
export interface PaymentStatus extends PaymentStatusFields {}
/** An order's payment status. `isSettled` is `status === 'SETTLED'`: exactly that word. */
export declare class PaymentStatus {
  private constructor()
  /** Cashi's whole answer (built on its first read, then kept). */
  readonly raw: Record<string, unknown>
}

/** A verified webhook. */
export interface WebhookEvent extends WebhookEventFields {}
/** A verified webhook. */
export declare class WebhookEvent {
  private constructor()
  /** The whole verified body (parsed on its first read, then kept). */
  readonly raw: Record<string, unknown>
}

/** One item of a batch's result, shaped as in `Promise.allSettled`'s: the result, or its error. */
export type BatchResult<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: CashiError }

/** Anything that names an order: an Order, a PaymentStatus, a WebhookEvent. */
export interface OrderLike {
  readonly orderId: string
}

export interface WaitOptions {
  /** How long to wait before rejecting with `timeout`. Default 600000 (an order's 10 minutes); at most a day (86400000). */
  timeoutMs?: number
  /** Stops waiting early; the Promise then rejects with `signal.reason` (an AbortError), as `fetch` does. */
  signal?: AbortSignal
  /** Called after every poll that did not end the wait (to show a countdown, say). What it throws is an uncaught exception, as in a timer callback. */
  onProgress?: (progress: WaitProgress) => void
}

export interface WaitProgress {
  /** Polls made so far. */
  polls: number
  /** The status text last read (`PENDING`), or `unknown (<error code>)` after a transient failure. */
  lastStatus: string
  /** Milliseconds left before the wait gives up. */
  remainingMs: number
}

export interface ConfirmOptions {
  /** The amount to pay that you stored at create-order time (`order.amount`). */
  expectedAmount: number | bigint
}

/** An error as an event reports it. */
export interface EventError {
  code: ErrorCode
  /** The error's message (never the API key). */
  message: string
}

/** `'response'` and `'retry'`: one HTTP attempt of a call. */
export interface AttemptEvent {
  type: 'attempt'
  /** `GET` or `POST`. */
  method: string
  /** The API path, e.g. `/check-status/INV-1`, without the base URL. */
  path: string
  orderId: string | null
  /** 1 for the first attempt. */
  attempt: number
  /** The answer's HTTP status; null when none arrived (a timeout, a connection error). */
  httpStatus: number | null
  elapsedMs: number
  error: EventError | null
  /** When the attempt failed and another follows: the pause before it; else null. */
  retryInMs: number | null
}

/** `'request'`: a call (`createOrder`, `checkStatus`, ...), once it finished, its retries included. */
export interface CallEvent {
  type: 'call'
  method: string
  path: string
  orderId: string | null
  attempts: number
  /** The last answer's HTTP status; null when none arrived. */
  httpStatus: number | null
  elapsedMs: number
  error: EventError | null
}

/** `'verification'`: a webhook verified, or refused. */
export interface VerificationEvent {
  type: 'webhook'
  /** The event's order id when verified; null when refused. */
  orderId: string | null
  isTest: boolean | null
  error: EventError | null
}

/**
 * The Cashi API client. Share one per process; it pools connections. Every call returns a Promise and never blocks the event loop.
 *
 * An EventEmitter of what it did, emitted on the JavaScript thread before the call's Promise settles:
 * `'response'` after every HTTP attempt (answered or not), `'retry'` after an attempt that failed
 * and will be retried, `'request'` once per finished call. With no listener (and no
 * `NODE_DEBUG=cashi`) nothing is measured or sent.
 */
export declare class Cashi extends EventEmitter {
  constructor(options?: CashiOptions)
  on(event: 'request', listener: (event: CallEvent) => void): this
  on(event: 'response' | 'retry', listener: (event: AttemptEvent) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
  once(event: 'request', listener: (event: CallEvent) => void): this
  once(event: 'response' | 'retry', listener: (event: AttemptEvent) => void): this
  once(event: string | symbol, listener: (...args: any[]) => void): this
  off(event: 'request', listener: (event: CallEvent) => void): this
  off(event: 'response' | 'retry', listener: (event: AttemptEvent) => void): this
  off(event: string | symbol, listener: (...args: any[]) => void): this
  addListener(event: 'request', listener: (event: CallEvent) => void): this
  addListener(event: 'response' | 'retry', listener: (event: AttemptEvent) => void): this
  addListener(event: string | symbol, listener: (...args: any[]) => void): this
  removeListener(event: 'request', listener: (event: CallEvent) => void): this
  removeListener(event: 'response' | 'retry', listener: (event: AttemptEvent) => void): this
  removeListener(event: string | symbol, listener: (...args: any[]) => void): this
  prependListener(event: 'request', listener: (event: CallEvent) => void): this
  prependListener(event: 'response' | 'retry', listener: (event: AttemptEvent) => void): this
  prependListener(event: string | symbol, listener: (...args: any[]) => void): this
  readonly baseUrl: string
  readonly userAgent: string
  /** Creates an order. Store `order.amount` (the amount to pay) with your order. */
  createOrder(request: CreateOrderRequest): Promise<Order>
  /**
   * Creates an order for each request, as one batch (at most 64 requests in flight, at most
   * 10,000 per batch). Resolves with one item per request, in their order, shaped as in
   * `Promise.allSettled`'s result: a failed request is its item's `reason` and stops no
   * other. Rejects (`invalid_argument`) only when `requests` is not an array or holds too many.
   */
  createOrders(requests: ReadonlyArray<CreateOrderRequest>): Promise<Array<BatchResult<Order>>>
  /** Reads an order's payment status. */
  checkStatus(order: string | OrderLike): Promise<PaymentStatus>
  /**
   * Reads the status of each order, as one batch (at most 64 requests in flight, at most
   * 10,000 per batch), e.g. to reconcile pending orders. Resolves with one item per order,
   * in their order, shaped as in `Promise.allSettled`'s result. Rejects
   * (`invalid_argument`) only when `orders` is not an array or holds too many.
   */
  checkStatuses(orders: ReadonlyArray<string | OrderLike>): Promise<Array<BatchResult<PaymentStatus>>>
  /**
   * Polls until the order is SETTLED or EXPIRED (resolves with that status) or `timeoutMs`
   * passes (rejects with `timeout`). For bots and scripts without a webhook. Only those exact
   * words end it (an unknown or oddly cased status keeps it polling); an answer about another
   * order rejects with `payment_mismatch`. An aborted `signal` rejects with its reason, the
   * one rejection that is not a CashiError.
   */
  waitForPayment(order: string | OrderLike, options?: WaitOptions): Promise<PaymentStatus>
  /**
   * Re-reads the status from Cashi and resolves only when the answer is about this order
   * and says SETTLED (exactly) with exactly the expected amount; otherwise rejects with
   * `payment_mismatch`. Call it before fulfilling, even after a verified webhook. An `Order`
   * brings its own expected amount.
   *
   * Pass the verified `WebhookEvent` itself when you have it: if Cashi's answer says SETTLED
   * without an amount (some providers omit it), the event's signed amount is compared
   * instead and the status has `amountFromWebhook: true`. With only an order id, or an event
   * read without a signature (`isVerified` false: only its order id is used), such an answer
   * rejects with `payment_mismatch`, saying so.
   *
   * Fulfil once per order id: a webhook may come twice, and a captured one can be replayed
   * (its signature has no timestamp) while `confirm` still passes.
   */
  confirm(order: Order, options?: Partial<ConfirmOptions>): Promise<PaymentStatus>
  confirm(order: string | OrderLike, options: ConfirmOptions): Promise<PaymentStatus>
}

/** The raw request body, exactly as received (in Express: `express.raw({ type: 'application/json' })`). */
export type RawBody = Buffer | Uint8Array | ArrayBuffer | string

/** A fetch `Headers` or a `Map`. */
export interface HeaderEntries {
  entries(): Iterable<[string, string]>
  get(name: string): unknown
}

/** Node's `req.headers`, a fetch `Headers`, a `Map`, or a plain object. */
export type WebhookHeaders = IncomingHttpHeaders | HeaderEntries | Record<string, string | string[] | undefined>

/**
 * Verifies Cashi's webhooks: HMAC-SHA256 of the raw body under your webhook secret, checked
 * in constant time before the body is read. Synchronous and cheap.
 */
export declare class Webhook extends EventEmitter {
  /** Your webhook secret (`sk_...`), or several during a rotation (new first). */
  constructor(secrets: string | Uint8Array | ReadonlyArray<string | Uint8Array>)
  /** `'verification'` after every `verify` / `verifyHeaders`, before it returns or throws. */
  on(event: 'verification', listener: (event: VerificationEvent) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
  once(event: 'verification', listener: (event: VerificationEvent) => void): this
  once(event: string | symbol, listener: (...args: any[]) => void): this
  off(event: 'verification', listener: (event: VerificationEvent) => void): this
  off(event: string | symbol, listener: (...args: any[]) => void): this
  /**
   * Checks `signature` (the `x-gateway-signature` header) against the raw body and reads the event.
   * Throws a `SignatureVerificationError` or a `WebhookPayloadError`; a TypeError when given a parsed object.
   *
   * A valid signature is not a new payment: Cashi may deliver the same webhook twice, and its
   * signature has no timestamp, so a captured one can be replayed. Fulfil once per order id:
   *
   *     if (await db.isFulfilled(event.orderId)) return res.sendStatus(200) // a repeat
   *     await db.markFulfilled(event.orderId) // with the fulfilment, in one transaction
   */
  verify(rawBody: RawBody, signature: string | string[] | undefined | null): WebhookEvent
  /** Like `verify`, finding the signature among the request headers. */
  verifyHeaders(rawBody: RawBody, headers: WebhookHeaders): WebhookEvent
  /**
   * Reads a webhook that came with no signature, as a hint only (`isVerified` is false), for an
   * account whose webhooks are not signed. Anyone can send such a body: fulfil only after
   * `confirm` with the amount stored at create-order time, which takes nothing from an
   * unverified event but its order id. A request that carries a signature goes to `verify`,
   * never here: a wrong signature is refused, not read as unsigned.
   */
  static parseUnverified(rawBody: RawBody): WebhookEvent
  /**
   * Whether the request's headers carry Cashi's signature header, found by the rule
   * `verifyHeaders` uses (any letter case, or CGI's `HTTP_X_GATEWAY_SIGNATURE`). A handler that
   * accepts unsigned webhooks reads a request without one with `parseUnverified`.
   */
  static isSigned(headers: WebhookHeaders): boolean
}

/** The signature Cashi would send for `body` under `secret`: for your own tests. */
export declare function sign(secret: string | Uint8Array, body: string | Uint8Array): string
