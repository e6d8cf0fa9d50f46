// The package as an ES module: named and default imports, the same classes as require().

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import cashiDefault, {
  Cashi,
  CashiError,
  Webhook,
  Order,
  PaymentStatus,
  WebhookEvent,
  sign,
  ERROR_CODES,
  VERSION,
  SIGNATURE_HEADER,
} from 'cashi'
import helpers from './helpers.js'

const require = createRequire(import.meta.url)
const cjs = require('cashi')

let sb

before(async () => {
  sb = await helpers.startSandbox()
})

after(async () => {
  await sb.stop()
})

test('import and require give the same module', () => {
  assert.equal(cashiDefault, cjs)
  for (const [name, value] of Object.entries({
    Cashi,
    CashiError,
    Webhook,
    Order,
    PaymentStatus,
    WebhookEvent,
    sign,
    ERROR_CODES,
    VERSION,
    SIGNATURE_HEADER,
  })) {
    assert.notEqual(value, undefined, name)
    assert.equal(value, cjs[name], name)
  }
  assert.deepEqual(Object.keys(cashiDefault).sort(), Object.keys(cjs).sort())
  assert.equal(SIGNATURE_HEADER, 'x-gateway-signature')
})

test('an imported client talks to Cashi; its errors are the required CashiError', async () => {
  const cashi = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl })
  const order = await cashi.createOrder({ amount: 15000, orderId: helpers.uniqueId('ESM') })
  assert.ok(order instanceof cjs.Order)
  const status = await cashi.checkStatus(order.orderId)
  assert.ok(status instanceof PaymentStatus)
  assert.equal(status.status, 'PENDING')
  await assert.rejects(
    cashi.checkStatus(helpers.uniqueId('NONE')),
    (e) => e instanceof cjs.CashiError && e instanceof CashiError && e.code === 'not_found' && e.status === 404,
  )
})

test('webhooks verify from ESM', () => {
  const body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"TEST-1","status":"SETTLED","amount":15023}}'
  const event = new Webhook('sk_esm').verify(body, sign('sk_esm', body))
  assert.ok(event instanceof WebhookEvent)
  assert.equal(event.isTest, true)
})
