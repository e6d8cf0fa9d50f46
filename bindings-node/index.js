'use strict'

// The public face of the `cashi` package. Everything substantial (HTTP, retries, models,
// webhook verification, validation, batches) happens in the Rust core through ./native.js;
// this file only gives it idiomatic JavaScript shapes: classes, Promises, Buffers, and one
// error class per error code, all subclasses of CashiError. The results' fields are the
// core's, copied by name (./records.js, generated from the core's schemas).

const { EventEmitter } = require('node:events')
const native = require('./native.js')
const { ClientEvents, WebhookEvents } = require('./events.js')
const { copyOrder, copyPaymentStatus, initWebhookEvent } = require('./records.js')

const ERROR_MARKER = 'cashi-error:'
const ERROR_CODES = Object.freeze(native.errorCodes())
const VERSION = native.version()
const SIGNATURE_HEADER = native.signatureHeader()

/**
 * Every failure of the SDK: `code` is one of ERROR_CODES (stable across releases and across
 * the Python, PHP and C SDKs), `status` the HTTP status when Cashi answered. Each code has
 * its own subclass (CLASS_BY_CODE), named as in the Python SDK, made as
 * `new NotFoundError(message, details)`: a subclass's code is its static `code`.
 */
class CashiError extends Error {
  constructor(...args) {
    // A subclass is made as `new NotFoundError(message, details)`, its code the class's.
    // `new CashiError(code, message, details)` makes the class of that code, so an error's
    // class always matches its code, whoever made it (the SDK, or a test mocking the SDK);
    // only a code this file does not know yet gives a plain CashiError.
    const [code, message, details = {}] = new.target === CashiError ? args : [new.target.code, ...args]
    const cls = new.target === CashiError ? CLASS_BY_CODE.get(code) : undefined
    if (cls !== undefined) {
      const err = new cls(message, details)
      Error.captureStackTrace(err, CashiError)
      return err
    }
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = new.target.name
    this.code = code
    this.status = details.status
  }
}

/** Refused before anything was sent; the message names the field and the rule. */
class InvalidRequestError extends CashiError {
  static code = 'invalid_argument'
}

/** Cashi answered with an error; the parent of the errors for specific answers. */
class APIError extends CashiError {
  static code = 'api'
}

/** HTTP 401/403: the API key is missing, wrong or revoked. */
class AuthenticationError extends APIError {
  static code = 'authentication'
}

/** HTTP 404: Cashi knows no order with this id. */
class NotFoundError extends APIError {
  static code = 'not_found'
}

/** HTTP 409: the order id is already taken. */
class ConflictError extends APIError {
  static code = 'conflict'
}

/** HTTP 429, still after the retries. */
class RateLimitError extends APIError {
  static code = 'rate_limited'
}

/** HTTP 5xx after the retries. */
class ServerError extends APIError {
  static code = 'server'
}

/** No connection to Cashi could be made, or it broke before an answer. */
class APIConnectionError extends CashiError {
  static code = 'connection'
}

/** No answer in time, or `waitForPayment` reached its deadline. */
class APITimeoutError extends APIConnectionError {
  static code = 'timeout'
}

/** A successful answer that is not the JSON Cashi sends, or a QR that is not a PNG. */
class DecodeError extends CashiError {
  static code = 'decode'
}

/** A webhook whose signature does not match its raw body: Cashi did not send it. */
class SignatureVerificationError extends CashiError {
  static code = 'signature_invalid'
}

/** A correctly signed webhook whose body is not a Cashi event. */
class WebhookPayloadError extends CashiError {
  static code = 'webhook_payload'
}

/** `confirm` found the order not settled, or settled with another amount: do not fulfil. */
class PaymentMismatchError extends CashiError {
  static code = 'payment_mismatch'

  constructor(message, details = {}) {
    super(message, details)
    this.orderId = details.orderId
    this.expectedAmount = details.expectedAmount
    this.actualAmount = details.actualAmount ?? null
    this.paymentStatus = details.paymentStatus
  }
}

/** A bug in the SDK. */
class InternalError extends CashiError {
  static code = 'internal'
}

const ERROR_CLASSES = [
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
]

/** The one table from the core's error codes to the classes. */
const CLASS_BY_CODE = new Map(ERROR_CLASSES.map((cls) => [cls.code, cls]))

// Turns whatever the native module threw into a CashiError whose stack starts at the
// caller of the SDK's method, not inside this file.
function toCashiError(e, above = toCashiError) {
  const err = asCashiError(e)
  if (err !== e) {
    Error.captureStackTrace(err, above)
  }
  return err
}

// `e`: what the native module threw or rejected with, or the text of a failed batch item.
function asCashiError(e) {
  if (e instanceof CashiError) {
    return e
  }
  const text = e && typeof e.message === 'string' ? e.message : String(e)
  if (text.startsWith(ERROR_MARKER)) {
    let detail
    try {
      detail = JSON.parse(text.slice(ERROR_MARKER.length))
    } catch {
      detail = null
    }
    if (detail && typeof detail.code === 'string') {
      return new CashiError(detail.code, detail.message, detail)
    }
  }
  return new InternalError(`unexpected failure inside the Cashi SDK: ${text}`, { cause: e })
}

function call(fn) {
  try {
    return fn()
  } catch (e) {
    throw toCashiError(e, call)
  }
}

function invalid(message) {
  return new InvalidRequestError(message)
}

// Checks an options object: absent is fine, a non-object or an unknown (misspelt) key is not.
function readOptions(what, options, allowed) {
  if (options === undefined || options === null) {
    return {}
  }
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw invalid(`${what}: options must be an object, e.g. { ${allowed[0]}: ... }`)
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw invalid(`${what}: unknown option ${JSON.stringify(key)}; the options are ${allowed.join(', ')}`)
    }
  }
  return options
}

// createOrder's extra fields as JSON text; the core checks what they hold (an object, no
// key the SDK sets, the size).
function extraJson(extra) {
  if (extra === undefined || extra === null) {
    return null
  }
  let text
  try {
    text = JSON.stringify(extra)
  } catch (e) {
    throw invalid(`extra: cannot be written as JSON (${e.message})`)
  }
  if (text === undefined) {
    throw invalid(`extra: ${kindOf(extra)} cannot be written as JSON; pass an object`)
  }
  return text
}

// How a wrongly typed value is named in messages (never its content: it may be a secret).
function kindOf(value) {
  if (value === undefined || value === null) {
    return String(value)
  }
  if (Array.isArray(value)) {
    return 'an array'
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

// `raw` (Cashi's whole answer, or the whole webhook body) is read rarely and is the costly
// part of a result, so it is built on its first read and kept. It stays what it was when
// built eagerly: an own, enumerable property after the typed fields (Object.keys, spread
// and JSON.stringify include it, and it can be assigned or deleted), only an accessor. The
// getter keeps the value in a private field, so it works on an object frozen by its user.
function lazyRaw(get) {
  return {
    get,
    set(value) {
      Object.defineProperty(this, 'raw', { value, writable: true, enumerable: true, configurable: true })
    },
    enumerable: true,
    configurable: true,
  }
}

// console.log and util.inspect show `raw`'s value, as they did when it was a plain property,
// not `[Getter/Setter]`: the object is shown through a copy whose prototype names its class.
const INSPECT = Symbol.for('nodejs.util.inspect.custom')
function inspectWithRaw(cls) {
  const shown = Object.create(cls.prototype, { [INSPECT]: { value: undefined } })
  cls.prototype[INSPECT] = function (depth, options, inspect) {
    return inspect(Object.setPrototypeOf({ ...this }, shown), { ...options, depth })
  }
}

// Each result class takes its fields from the object the native module made (`f`), by
// name, in the core's order (records.js); `raw` comes last. A WebhookEvent is made first,
// every field null, and the native module sets them as it verifies.

/** An order as Cashi created it. Store `amount`: it is what the customer pays and the webhook carries. */
class Order {
  // Cashi's answer as received: `raw` parses it, `qrPng` has the core read the QR from it.
  #rawJson
  #raw

  static #RAW = lazyRaw(function () {
    return (this.#raw ??= JSON.parse(this.#rawJson))
  })

  constructor(f) {
    this.#rawJson = f.rawJson
    copyOrder(this, f)
    Object.defineProperty(this, 'raw', Order.#RAW)
  }

  /** The QR code as PNG bytes (decoded from `qrUrl`); a `decode` CashiError when there is none. */
  qrPng() {
    return call(() => native.qrPng(this.#rawJson, this.orderId))
  }
}

/** An order's payment status as check-status reports it. */
class PaymentStatus {
  #rawJson
  #raw

  static #RAW = lazyRaw(function () {
    return (this.#raw ??= JSON.parse(this.#rawJson))
  })

  constructor(f) {
    this.#rawJson = f.rawJson
    copyPaymentStatus(this, f)
    Object.defineProperty(this, 'raw', PaymentStatus.#RAW)
  }
}

/** A webhook event: verified, unless read by `Webhook.parseUnverified`. */
/** Set by WebhookEvent's static block: the verified body of an event, else undefined. */
let verifiedBody

class WebhookEvent {
  #body
  #raw

  static #RAW = lazyRaw(function () {
    return (this.#raw ??= JSON.parse(this.#body.toString('utf8')))
  })

  static {
    // For `Cashi.confirm` only: the bytes this event was verified from, or undefined for
    // anything that is not an event this module verified (an unverified event is confirmed
    // by its order id alone).
    verifiedBody = (value) =>
      value !== null && typeof value === 'object' && #body in value && value.isVerified === true
        ? value.#body
        : undefined
  }

  // `body`: the bytes to verify, in a Buffer nobody else can change.
  constructor(body) {
    this.#body = body
    initWebhookEvent(this)
    Object.defineProperty(this, 'raw', WebhookEvent.#RAW)
  }
}

inspectWithRaw(Order)
inspectWithRaw(PaymentStatus)
inspectWithRaw(WebhookEvent)

const CLIENT_OPTIONS = ['apiKey', 'baseUrl', 'timeoutMs', 'maxRetries', 'caBundle']

/**
 * The Cashi API client. One client can be shared by the whole process; every call returns a
 * Promise. An EventEmitter of what it did: 'request', 'response', 'retry' (see events.js).
 */
class Cashi extends EventEmitter {
  #client
  #events

  constructor(options) {
    super()
    const o = readOptions('new Cashi()', options, CLIENT_OPTIONS)
    this.#client = call(() => new native.NativeClient(o.apiKey, o.baseUrl, o.timeoutMs, o.maxRetries, o.caBundle))
    this.#events = new ClientEvents(this, this.#client)
  }

  // The native client, once its events are switched on or off as listeners require.
  get #native() {
    this.#events.sync(this)
    return this.#client
  }

  get baseUrl() {
    return this.#native.baseUrl
  }

  get userAgent() {
    return this.#native.userAgent
  }

  async createOrder(request) {
    const r = orderRequest('createOrder', request)
    try {
      return new Order(await this.#native.createOrder(r.amount, r.orderId, r.channel, r.extra))
    } catch (e) {
      throw toCashiError(e)
    }
  }

  /**
   * `createOrder` for each request, as one batch of the core (a bounded number in flight):
   * an array shaped like `Promise.allSettled`'s, one item per request in their order.
   */
  async createOrders(requests) {
    if (!Array.isArray(requests)) {
      throw invalid(`requests: ${kindOf(requests)} is not an array; pass an array of createOrder requests`)
    }
    const refused = new Map()
    const items = Array.from(requests, (request, i) => {
      try {
        return orderRequest(`requests[${i}]`, request)
      } catch (e) {
        refused.set(i, e)
        return null
      }
    })
    let results
    try {
      results = await this.#native.createOrders(items)
    } catch (e) {
      throw toCashiError(e)
    }
    return results.map((item, i) => (refused.has(i) ? rejected(refused.get(i)) : settled(item, Order)))
  }

  async checkStatus(orderId) {
    try {
      return new PaymentStatus(await this.#native.checkStatus(orderIdOf(orderId)))
    } catch (e) {
      throw toCashiError(e)
    }
  }

  /**
   * `checkStatus` for each order id (or order, status, event), as one batch of the core:
   * an array shaped like `Promise.allSettled`'s, one item per id in their order.
   */
  async checkStatuses(orderIds) {
    if (!Array.isArray(orderIds)) {
      throw invalid(`orderIds: ${kindOf(orderIds)} is not an array; pass an array of order ids`)
    }
    let results
    try {
      results = await this.#native.checkStatuses(Array.from(orderIds, orderIdOf))
    } catch (e) {
      throw toCashiError(e)
    }
    return results.map((item) => settled(item, PaymentStatus))
  }

  async waitForPayment(orderId, options) {
    const o = readOptions('waitForPayment', options, ['timeoutMs', 'signal', 'onProgress'])
    const signal = o.signal
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw invalid(`signal: ${kindOf(signal)} is not an AbortSignal`)
    }
    const onProgress = o.onProgress
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw invalid(`onProgress: ${kindOf(onProgress)} is not a function`)
    }
    // Like fetch: an aborted wait rejects with the signal's reason (an AbortError by default).
    signal?.throwIfAborted()
    const cancel = signal ? new native.NativeCancel() : undefined
    const onAbort = () => cancel.cancel()
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const progress =
        onProgress && ((p) => onProgress({ polls: p.polls, lastStatus: p.lastStatus, remainingMs: p.remainingMs }))
      return new PaymentStatus(await this.#native.waitForPayment(orderIdOf(orderId), o.timeoutMs, cancel, progress))
    } catch (e) {
      if (signal?.aborted) {
        throw signal.reason
      }
      throw toCashiError(e)
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }

  async confirm(target, options) {
    const o = readOptions('confirm', options, ['expectedAmount'])
    let expected = o.expectedAmount
    // An Order carries the amount Cashi asked for; an event or a status carries only what
    // was paid, which is exactly what must not be trusted as the expectation.
    if (expected === undefined && target instanceof Order) {
      expected = target.amount
    }
    // A verified event lets the core rely on its signed amount when Cashi's answer has none.
    const body = verifiedBody(target)
    try {
      return new PaymentStatus(
        await (body === undefined
          ? this.#native.confirm(orderIdOf(target), expected)
          : this.#native.confirmEvent(body, expected)),
      )
    } catch (e) {
      throw toCashiError(e)
    }
  }
}

// createOrder's request as the native module takes it; `what` names it in messages.
function orderRequest(what, request) {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw invalid(`${what}: pass an object, e.g. { amount: 15000, orderId: "INV-9921" }`)
  }
  const r = readOptions(what, request, ['amount', 'orderId', 'channel', 'extra'])
  return { amount: r.amount, orderId: r.orderId, channel: r.channel, extra: extraJson(r.extra) }
}

// A batch's item, shaped as in Promise.allSettled's result: the native module gives the
// result's fields, or the text of its error.
function settled(item, cls) {
  return typeof item === 'string' ? rejected(toCashiError(item)) : { status: 'fulfilled', value: new cls(item) }
}

function rejected(reason) {
  return { status: 'rejected', reason }
}

// An order id, or the id of an Order, PaymentStatus or WebhookEvent (anything with orderId).
function orderIdOf(target) {
  if (target !== null && typeof target === 'object' && 'orderId' in target) {
    return target.orderId
  }
  return target
}

const RAW_BODY_HINT =
  'verify the raw request body exactly as Cashi sent it, not parsed JSON. In Express:\n' +
  "  app.post('/webhooks/cashi', express.raw({ type: 'application/json' }), (req, res) => {\n" +
  "    const event = webhook.verify(req.body, req.get('x-gateway-signature'))\n" +
  '    ...\n' +
  '  })'

// The raw body as bytes. A parsed object gets a TypeError that shows the fix.
function bodyBytes(method, rawBody) {
  if (Buffer.isBuffer(rawBody)) {
    return rawBody
  }
  if (typeof rawBody === 'string') {
    return Buffer.from(rawBody, 'utf8')
  }
  if (ArrayBuffer.isView(rawBody)) {
    return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength)
  }
  if (rawBody instanceof ArrayBuffer) {
    return Buffer.from(rawBody)
  }
  if (rawBody !== null && typeof rawBody === 'object') {
    const err = new TypeError(
      `Webhook.${method}: rawBody is an already-parsed object (did express.json() or another body parser run first?); ${RAW_BODY_HINT}`,
    )
    err.code = 'invalid_argument'
    Error.captureStackTrace(err, bodyBytes)
    throw err
  }
  throw invalid(`rawBody: ${kindOf(rawBody)} is not the request body (a Buffer or a string); ${RAW_BODY_HINT}`)
}

// The verified body for `event.raw`: a caller's Buffer (or the memory under its view) may
// be reused or changed after `verify` returns, so it is copied; a string was encoded into a
// fresh Buffer only this event holds.
function ownedBody(rawBody, body) {
  return typeof rawBody === 'string' ? body : Buffer.from(body)
}

function secretBytes(secret, index) {
  if (typeof secret === 'string') {
    return Buffer.from(secret, 'utf8')
  }
  if (ArrayBuffer.isView(secret)) {
    return Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
  }
  const where = index === undefined ? 'secret' : `secret #${index + 1}`
  throw invalid(
    `${where}: ${kindOf(secret)} is not a webhook secret; pass the secret from Settings → Webhook in the Cashi dashboard (sk_...), or an array of them`,
  )
}

function signatureText(signature) {
  if (signature === undefined || signature === null) {
    return '' // the core answers signature_invalid: the request was not signed
  }
  if (Array.isArray(signature)) {
    return signatureText(signature[0])
  }
  if (typeof signature !== 'string') {
    throw invalid(`signature: ${kindOf(signature)} is not a signature; pass the ${SIGNATURE_HEADER} header`)
  }
  return signature
}

/**
 * Verifies Cashi's webhooks: the signature over the raw body, under one secret or several
 * (rotation). An EventEmitter: 'verification' after each one (see events.js).
 */
class Webhook extends EventEmitter {
  #native
  #events

  constructor(secrets) {
    super()
    const list = Array.isArray(secrets) ? secrets.map((s, i) => secretBytes(s, i)) : [secretBytes(secrets)]
    this.#native = call(() => native.webhookNew(list))
    this.#events = new WebhookEvents(native, this.#native)
  }

  verify(rawBody, signature) {
    const body = bodyBytes('verify', rawBody)
    const sig = signatureText(signature)
    const event = new WebhookEvent(ownedBody(rawBody, body))
    this.#events.around(this, () => call(() => native.webhookVerify(this.#native, body, sig, event)))
    return event
  }

  // An unsigned body, read as a hint: `isVerified` is false, and `confirm` takes only its
  // order id.
  static parseUnverified(rawBody) {
    const body = bodyBytes('parseUnverified', rawBody)
    const event = new WebhookEvent(ownedBody(rawBody, body))
    call(() => native.parseUnverified(body, event))
    return event
  }

  // Whether the request's headers carry the signature header, by the core's rule (any
  // letter case, or CGI's HTTP_X_GATEWAY_SIGNATURE): a handler that accepts unsigned
  // webhooks reads a request without one with parseUnverified, and verifies every other.
  static isSigned(headers) {
    const [names, values] = headerLists(headers)
    return native.isSigned(names, values)
  }

  verifyHeaders(rawBody, headers) {
    const body = bodyBytes('verifyHeaders', rawBody)
    const [names, values] = headerLists(headers)
    const event = new WebhookEvent(ownedBody(rawBody, body))
    this.#events.around(this, () => call(() => native.webhookVerifyHeaders(this.#native, body, names, values, event)))
    return event
  }
}

// The headers as two parallel arrays of names and values, one entry per value.
function headerLists(headers) {
  const names = []
  const values = []
  for (const [name, value] of headerEntries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null) {
        names.push(String(name))
        values.push(String(v))
      }
    }
  }
  return [names, values]
}

// Node's IncomingHttpHeaders (a plain object), a Fetch API Headers, or a Map.
function headerEntries(headers) {
  if (headers === null || typeof headers !== 'object') {
    throw invalid('headers: pass the request headers (req.headers in Node and Express, request.headers with fetch)')
  }
  if (typeof headers.entries === 'function' && typeof headers.get === 'function') {
    return Array.from(headers.entries())
  }
  return Object.entries(headers)
}

function bytesOf(field, value) {
  if (typeof value === 'string') {
    return Buffer.from(value, 'utf8')
  }
  if (ArrayBuffer.isView(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  }
  throw invalid(`${field}: ${kindOf(value)} is neither a string nor a Buffer`)
}

/** The signature Cashi would send for `body` under `secret`: for your own tests. */
function sign(secret, body) {
  const s = bytesOf('secret', secret)
  const b = bytesOf('body', body)
  return call(() => native.sign(s, b))
}

module.exports = {
  Cashi,
  Webhook,
  CashiError,
  ...Object.fromEntries(ERROR_CLASSES.map((cls) => [cls.name, cls])),
  Order,
  PaymentStatus,
  WebhookEvent,
  sign,
  ERROR_CODES,
  VERSION,
  SIGNATURE_HEADER,
}
