'use strict'

// createOrder({ extra }): fields the SDK does not model, sent to Cashi as given.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { Cashi, CashiError } = require('cashi')
const { startSandbox, uniqueId } = require('./helpers.js')

let sb
let cashi

before(async () => {
  sb = await startSandbox()
  cashi = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl })
})

after(async () => {
  await sb.stop()
})

const EXTRA = {
  callback_url: 'https://shop.example/cashi',
  customer: { name: 'Ani Ünal', phone: '+628123', tags: [1, null, true] },
}

// The fields the sandbox received beyond the ones it reads.
async function received(orderId) {
  return (await sb.control('GET', `orders/${encodeURIComponent(orderId)}`)).order.request_extra
}

async function refused(request, pattern) {
  await assert.rejects(cashi.createOrder(request), (e) => {
    assert.ok(e instanceof CashiError, String(e))
    assert.equal(e.code, 'invalid_argument')
    assert.match(e.message, pattern)
    return true
  })
}

test('extra fields reach Cashi as given', async () => {
  const orderId = uniqueId('EXTRA')
  const order = await cashi.createOrder({ amount: 15000, orderId, extra: EXTRA })
  assert.equal(order.requestedAmount, 15000)
  assert.deepEqual(await received(orderId), EXTRA)
})

test('no extra, or an empty one, sends nothing more', async () => {
  for (const extra of [undefined, null, {}]) {
    const orderId = uniqueId('PLAIN')
    await cashi.createOrder({ amount: 15000, orderId, extra })
    assert.equal(await received(orderId), undefined)
  }
})

test('a key the SDK sets is refused, naming it', async () => {
  for (const key of ['amount', 'order_id', 'kode_channel', 'QRIS_CUSTOM']) {
    await refused(
      { amount: 15000, orderId: uniqueId('X'), extra: { note: 'x', [key]: 1 } },
      new RegExp(`^extra: .*"${key}"`),
    )
  }
})

test('extra that is not an object, or cannot be JSON, or is too large is refused', async () => {
  await refused({ amount: 15000, extra: [['callback_url', 'x']] }, /^extra: must be an object.*not a list/)
  await refused({ amount: 15000, extra: 'callback_url=x' }, /^extra: must be an object.*not a string/)
  await refused({ amount: 15000, extra: { n: 10n } }, /^extra: cannot be written as JSON/)
  await refused({ amount: 15000, extra: () => 1 }, /^extra: .*cannot be written as JSON/)
  await refused({ amount: 15000, extra: { note: 'x'.repeat(16 * 1024) } }, /^extra: .*the limit is 16384 bytes/)
})
