'use strict'

// Batches against a real sandbox: checkStatuses and createOrders run many calls as one batch
// of the core and resolve with an array shaped like Promise.allSettled's, one item per input
// in its order; only a batch that is not an array or is too big rejects as a whole.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { Cashi, Order, PaymentStatus, InvalidRequestError } = require('cashi')
const { startSandbox, uniqueId, assertErrorClass } = require('./helpers.js')

let sb
let cashi

before(async () => {
  sb = await startSandbox()
  cashi = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl })
})

after(async () => {
  await sb.stop()
})

/** Asserts that `item` is a rejected item with the error class of `code`; returns the error. */
function rejectedWith(item, code, pattern) {
  assert.equal(item.status, 'rejected', JSON.stringify(item))
  assert.deepEqual(Object.keys(item), ['status', 'reason'])
  assertErrorClass(item.reason, code)
  if (pattern) {
    assert.match(item.reason.message, pattern)
  }
  return item.reason
}

function fulfilled(item, cls) {
  assert.equal(item.status, 'fulfilled', item.reason && item.reason.stack)
  assert.deepEqual(Object.keys(item), ['status', 'value'])
  assert.ok(item.value instanceof cls)
  return item.value
}

test('checkStatuses: each id its status or its error, in the ids order', async () => {
  const pending = await cashi.createOrder({ amount: 15000, orderId: uniqueId('B') })
  const paid = await cashi.createOrder({ amount: 15000, orderId: uniqueId('B') })
  await sb.pay(paid.orderId)
  const missing = uniqueId('MISSING')
  const items = await cashi.checkStatuses([pending.orderId, missing, paid, '', 42, 'x'.repeat(101), pending])
  assert.equal(items.length, 7)

  const first = fulfilled(items[0], PaymentStatus)
  assert.deepEqual(
    [first.orderId, first.status, first.isPending, first.isFinal],
    [pending.orderId, 'PENDING', true, false],
  )
  assert.equal(rejectedWith(items[1], 'not_found').status, 404)
  const settled = fulfilled(items[2], PaymentStatus) // an Order stands for its id
  assert.deepEqual([settled.orderId, settled.isSettled, settled.amount], [paid.orderId, true, paid.amount])
  rejectedWith(items[3], 'invalid_argument', /^order_?[iI]d: .*empty/)
  rejectedWith(items[4], 'invalid_argument', /^orderId: 42 is not a string/)
  rejectedWith(items[5], 'invalid_argument', /^order_?[iI]d: .*100/)
  assert.equal(fulfilled(items[6], PaymentStatus).orderId, pending.orderId)
  // Each status is a whole PaymentStatus, raw included.
  assert.equal(first.raw.status, 'PENDING')
})

test('checkStatuses keeps the order of many ids answered out of order', async () => {
  const orders = []
  for (let i = 0; i < 5; i++) {
    orders.push(await cashi.createOrder({ amount: 15000 + i, orderId: uniqueId('MANY') }))
  }
  await sb.pay(orders[2].orderId)
  const ids = Array.from({ length: 200 }, (_, i) => orders[i % 5].orderId)
  const items = await cashi.checkStatuses(ids)
  assert.equal(items.length, 200)
  items.forEach((item, i) => {
    const s = fulfilled(item, PaymentStatus)
    assert.equal(s.orderId, ids[i])
    assert.equal(s.status, i % 5 === 2 ? 'SETTLED' : 'PENDING')
  })
})

test('createOrders: each request its order or its error, in the requests order', async () => {
  const taken = await cashi.createOrder({ amount: 15000, orderId: uniqueId('TAKEN') })
  const ids = [uniqueId('BO'), uniqueId('BO'), uniqueId('BO')]
  const items = await cashi.createOrders([
    { amount: 15000, orderId: ids[0] },
    { amount: 15000.5, orderId: uniqueId('BO') },
    { amount: 15000, orderId: taken.orderId },
    'INV-1',
    { amount: 15000, order_id: 'X' },
    { amount: 50000, orderId: ids[1], channel: 'BCA' },
    { amount: 15000, orderId: uniqueId('BO'), extra: { amount: 1 } },
    { amount: 1999 },
    { amount: 20000n, orderId: ids[2], extra: { callback_url: 'https://shop.example/cashi' } },
  ])
  assert.equal(items.length, 9)
  const qris = fulfilled(items[0], Order)
  assert.deepEqual([qris.orderId, qris.requestedAmount], [ids[0], 15000])
  assert.ok(Buffer.isBuffer(qris.qrPng()))
  rejectedWith(items[1], 'invalid_argument', /^amount: 15000\.5/)
  assert.equal(rejectedWith(items[2], 'conflict').status, 409)
  rejectedWith(items[3], 'invalid_argument', /^requests\[3\]: pass an object/)
  rejectedWith(items[4], 'invalid_argument', /^requests\[4\]: unknown option "order_id"/)
  const va = fulfilled(items[5], Order)
  assert.equal(va.orderId, ids[1])
  assert.equal(typeof va.virtualAccount.vaNumber, 'string')
  rejectedWith(items[6], 'invalid_argument', /extra.*amount/)
  rejectedWith(items[7], 'invalid_argument', /limits/)
  assert.equal(fulfilled(items[8], Order).requestedAmount, 20000)
  // What was created exists; what was refused was never sent.
  const statuses = await cashi.checkStatuses(ids)
  assert.deepEqual(
    statuses.map((s) => s.status),
    ['fulfilled', 'fulfilled', 'fulfilled'],
  )
})

test('empty batches resolve with empty arrays', async () => {
  assert.deepEqual(await cashi.checkStatuses([]), [])
  assert.deepEqual(await cashi.createOrders([]), [])
})

test('a batch that is not an array, or too big, rejects as a whole and sends nothing', async () => {
  for (const [call, field] of [
    [() => cashi.checkStatuses('INV-1'), /^orderIds: a string is not an array/],
    [() => cashi.checkStatuses(), /^orderIds: undefined is not an array/],
    [() => cashi.createOrders({ amount: 15000 }), /^requests: an object is not an array/],
  ]) {
    const e = await call().catch((err) => err)
    assertErrorClass(e, 'invalid_argument')
    assert.match(e.message, field)
  }
  const tooMany = Array.from({ length: 10_001 }, () => uniqueId('BIG'))
  const e = await cashi.checkStatuses(tooMany).catch((err) => err)
  assert.ok(e instanceof InvalidRequestError)
  assert.match(e.message, /^order_?[iI]ds: 10001 items; a batch takes at most 10000/)
  const e2 = await cashi.createOrders(tooMany.map((orderId) => ({ amount: 15000, orderId }))).catch((err) => err)
  assert.ok(e2 instanceof InvalidRequestError)
  assert.match(e2.message, /^requests: 10001 items/)
  // Nothing of either was created.
  const first = await cashi.checkStatus(tooMany[0]).catch((err) => err)
  assertErrorClass(first, 'not_found')
})
