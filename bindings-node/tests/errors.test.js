'use strict'

// One error class per error code, subclasses of CashiError: the table, the hierarchy, what a
// mock made with `new CashiError(code, ...)` is, and the classes real calls throw.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const cashi = require('cashi')
const {
  Cashi,
  Webhook,
  CashiError,
  APIError,
  APIConnectionError,
  APITimeoutError,
  AuthenticationError,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  PaymentMismatchError,
  SignatureVerificationError,
  WebhookPayloadError,
  sign,
  ERROR_CODES,
} = cashi
const {
  startSandbox,
  uniqueId,
  ERROR_CLASS_OF,
  PARENT_CLASS_OF,
  WEBHOOK_SECRET,
  assertErrorClass,
} = require('./helpers.js')

test('every code of the core has its class, and every class its code', () => {
  assert.deepEqual([...ERROR_CODES].sort(), Object.keys(ERROR_CLASS_OF).sort())
  for (const code of ERROR_CODES) {
    const cls = cashi[ERROR_CLASS_OF[code]]
    assert.equal(typeof cls, 'function', `no class exported for ${code}`)
    assert.equal(cls.code, code)
    assert.equal(cls.name, ERROR_CLASS_OF[code])
    const parent = cashi[PARENT_CLASS_OF[cls.name]]
    assert.equal(Object.getPrototypeOf(cls.prototype), parent.prototype, `${cls.name}'s parent`)
  }
})

test('a class made directly carries its code and every field it is given', () => {
  for (const code of ERROR_CODES) {
    const cls = cashi[ERROR_CLASS_OF[code]]
    const cause = new Error('underneath')
    const e = new cls('what went wrong', { status: 418, cause })
    assertErrorClass(e, code)
    assert.equal(e.message, 'what went wrong')
    assert.equal(e.status, 418)
    assert.equal(e.cause, cause)
    assert.equal(String(e), `${cls.name}: what went wrong`)
    for (const other of ERROR_CODES) {
      const otherCls = cashi[ERROR_CLASS_OF[other]]
      const related = other === code || PARENT_CLASS_OF[cls.name] === otherCls.name
      assert.equal(e instanceof otherCls, related, `${cls.name} instanceof ${otherCls.name}`)
    }
  }
})

test('new CashiError(code, ...) makes the class of the code (for mocks), its stack starting at the caller', () => {
  for (const code of ERROR_CODES) {
    const e = new CashiError(code, 'no order X', { status: 404 })
    assertErrorClass(e, code)
    assert.equal(e.status, 404)
    assert.equal(e.message, 'no order X')
    assert.equal(String(e), `${ERROR_CLASS_OF[code]}: no order X`)
    assert.match(e.stack.split('\n')[1], /errors\.test\.js/)
  }
  const m = new CashiError('payment_mismatch', 'm', {
    orderId: 'A',
    expectedAmount: 2,
    actualAmount: 1,
    paymentStatus: 'SETTLED',
  })
  assert.ok(m instanceof PaymentMismatchError)
  assert.deepEqual([m.orderId, m.expectedAmount, m.actualAmount, m.paymentStatus], ['A', 2, 1, 'SETTLED'])
  const none = new PaymentMismatchError('m', { orderId: 'A', expectedAmount: 2, paymentStatus: 'PENDING' })
  assert.equal(none.actualAmount, null)
})

test('a code this package does not know yet is still a CashiError with that code', () => {
  const e = new CashiError('some_new_code', 'newer core')
  assert.equal(e.constructor, CashiError)
  assert.equal(e.name, 'CashiError')
  assert.equal(e.code, 'some_new_code')
  assert.equal(String(e), 'CashiError: newer core')
})

test('ESM and CommonJS export the same classes', async () => {
  const esm = await import('cashi')
  for (const name of ['CashiError', ...Object.values(ERROR_CLASS_OF)]) {
    assert.equal(esm[name], cashi[name], name)
  }
})

// Thrown by real calls against the sandbox.
let sb
let client

before(async () => {
  sb = await startSandbox()
  client = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl })
})

after(async () => {
  await sb.stop()
})

test('authentication: a wrong API key rejects with an AuthenticationError, an APIError', async () => {
  const wrong = new Cashi({ apiKey: 'CASHI-WRONGKEY99', baseUrl: sb.baseUrl })
  const e = await wrong.checkStatus('X').catch((err) => err)
  assert.ok(e instanceof AuthenticationError && e instanceof APIError && e instanceof CashiError)
  assert.equal(e.code, 'authentication')
  assert.equal(e.status, 401)
})

test('not_found: an unknown order rejects with a NotFoundError', async () => {
  await assert.rejects(client.checkStatus(uniqueId('MISSING')), NotFoundError)
  const e = await client.checkStatus(uniqueId('MISSING')).catch((err) => err)
  assert.ok(e instanceof APIError && e instanceof CashiError && !(e instanceof ConflictError))
  assert.equal(e.code, 'not_found')
  assert.equal(e.status, 404)
})

test('conflict: an order id used twice rejects with a ConflictError', async () => {
  const orderId = uniqueId()
  await client.createOrder({ amount: 15000, orderId })
  const e = await client.createOrder({ amount: 15000, orderId }).catch((err) => err)
  assertErrorClass(e, 'conflict')
  assert.ok(e instanceof ConflictError && e instanceof APIError)
  assert.equal(e.status, 409)
})

test('invalid_argument: refused before sending, by the core and by the JavaScript layer', async () => {
  const byCore = await client.createOrder({ amount: 1500.5 }).catch((err) => err)
  assert.ok(byCore instanceof InvalidRequestError, byCore && byCore.stack)
  assert.equal(byCore.code, 'invalid_argument')
  assert.equal(byCore.status, undefined)
  await assert.rejects(client.createOrder({ amount: 15000, order_id: 'X' }), InvalidRequestError)
  assert.throws(() => new Webhook(42), InvalidRequestError)
})

test('timeout: no answer in time rejects with an APITimeoutError, an APIConnectionError', async () => {
  const impatient = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, timeoutMs: 200, maxRetries: 0 })
  await sb.fault({ kind: 'latency', path: 'check-status', latency_ms: 1500, count: 1 })
  try {
    const e = await impatient.checkStatus('X').catch((err) => err)
    assertErrorClass(e, 'timeout')
    assert.ok(e instanceof APIConnectionError)
  } finally {
    await sb.clearFaults()
  }
})

test('payment_mismatch: confirm with another amount rejects with a PaymentMismatchError and its fields', async () => {
  const order = await client.createOrder({ amount: 15000, orderId: uniqueId() })
  await sb.pay(order.orderId)
  const e = await client.confirm(order.orderId, { expectedAmount: order.amount + 1 }).catch((err) => err)
  assertErrorClass(e, 'payment_mismatch')
  assert.ok(e instanceof PaymentMismatchError)
  assert.equal(e.orderId, order.orderId)
  assert.equal(e.expectedAmount, order.amount + 1)
  assert.equal(e.actualAmount, order.amount)
  assert.equal(e.paymentStatus, 'SETTLED')
  const pending = await client.createOrder({ amount: 15000, orderId: uniqueId() })
  await assert.rejects(client.confirm(pending), PaymentMismatchError)
})

test('signature_invalid and webhook_payload: the webhook errors', () => {
  const webhook = new Webhook(WEBHOOK_SECRET)
  const body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-9921","status":"SETTLED","amount":15023}}'
  const e = (() => {
    try {
      webhook.verify(body, '00'.repeat(32))
    } catch (err) {
      return err
    }
  })()
  assertErrorClass(e, 'signature_invalid')
  assert.ok(e instanceof SignatureVerificationError)
  const notAnEvent = '{"hello":"world"}'
  assert.throws(() => webhook.verify(notAnEvent, sign(WEBHOOK_SECRET, notAnEvent)), WebhookPayloadError)
})
