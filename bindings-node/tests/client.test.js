'use strict'

// The client against a real sandbox: every method, every error code it can raise.

const { test, before, after, afterEach } = require('node:test')
const assert = require('node:assert/strict')
const { Cashi, CashiError, Order, PaymentStatus, Webhook, sign, ERROR_CODES, VERSION } = require('cashi')
const { startSandbox, uniqueId, API_KEY, assertErrorClass } = require('./helpers.js')

let sb
let cashi

before(async () => {
  sb = await startSandbox()
  cashi = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl })
})

after(async () => {
  await sb.stop()
})

afterEach(async () => {
  await sb.clearFaults()
})

/** Asserts that `promiseOrFn` rejects/throws the CashiError subclass of `code`; returns it. */
async function rejectsWith(promiseOrFn, code, messagePattern) {
  let error
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn)
  } catch (e) {
    error = e
  }
  assert.ok(error, `expected a CashiError ${code}, nothing was thrown`)
  assertErrorClass(error, code)
  assert.ok(ERROR_CODES.includes(error.code))
  assert.equal(typeof error.message, 'string')
  assert.ok(error.message.length > 0)
  if (messagePattern) {
    assert.match(error.message, messagePattern)
  }
  return error
}

test('ERROR_CODES and VERSION come from the core', () => {
  assert.deepEqual([...ERROR_CODES].sort(), [
    'api',
    'authentication',
    'conflict',
    'connection',
    'decode',
    'internal',
    'invalid_argument',
    'not_found',
    'payment_mismatch',
    'rate_limited',
    'server',
    'signature_invalid',
    'timeout',
    'webhook_payload',
  ])
  assert.ok(Object.isFrozen(ERROR_CODES))
  assert.match(VERSION, /^\d+\.\d+\.\d+/)
})

test('the client names the binding in its user-agent and keeps the base URL', () => {
  assert.match(cashi.userAgent, /^cashi-node\/\d+\.\d+\.\d+ cashi-rust\//)
  assert.equal(cashi.baseUrl, sb.baseUrl)
})

test('createOrder returns an Order with the amount to pay, QR, checkout URL and expiry', async () => {
  const orderId = uniqueId('INV')
  const order = await cashi.createOrder({ amount: 15000, orderId })
  assert.ok(order instanceof Order)
  assert.equal(order.orderId, orderId)
  assert.equal(order.requestedAmount, 15000)
  assert.ok(order.uniqueCode >= 1 && order.uniqueCode <= 99, `unique code ${order.uniqueCode}`)
  assert.equal(order.amount, 15000 + order.uniqueCode)
  assert.equal(typeof order.checkoutUrl, 'string')
  assert.ok(order.checkoutUrl.includes(encodeURIComponent(orderId)) || order.checkoutUrl.includes(orderId))
  assert.match(order.qrUrl, /^data:image\/png;base64,/)
  assert.ok(order.expiresAt instanceof Date)
  assert.ok(!Number.isNaN(order.expiresAt.getTime()))
  assert.equal(order.provider, 'CASHI')
  assert.equal(typeof order.raw, 'object')
  assert.equal(order.raw.success, true)
  assert.equal(order.raw.amount, order.amount)
  assert.equal(order.virtualAccount, null)
  assert.equal(order.retail, null)
  // Every field is set: absent ones are null, never undefined.
  for (const [key, value] of Object.entries(order)) {
    assert.notEqual(value, undefined, key)
  }
  const png = order.qrPng()
  assert.ok(Buffer.isBuffer(png))
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
})

test('order.raw and status.raw are the whole answers, built on first read and kept', async () => {
  const orderId = uniqueId('RAW')
  const order = await cashi.createOrder({ amount: 15000, orderId })
  const before = Object.entries(Object.getOwnPropertyDescriptors(order)).filter(([key]) => key !== 'raw')
  const raw = order.raw
  assert.equal(order.raw, raw)
  assert.equal(raw.order_id, orderId)
  assert.equal(raw.amount, order.amount)
  assert.equal(raw.qrUrl, order.qrUrl)
  assert.equal(raw.checkout_url, order.checkoutUrl)
  assert.equal(raw.provider, order.provider)
  assert.equal(typeof raw.expires_at, 'string')
  // Reading raw changed none of the other fields.
  for (const [key, descriptor] of before) {
    assert.deepEqual(Object.getOwnPropertyDescriptor(order, key), descriptor, key)
  }
  // The fields in the core's order (the parity test checks which), then raw, added on first read.
  assert.deepEqual(Object.keys(order), [...before.map(([key]) => key), 'raw'])
  assert.equal(Object.keys(order)[0], 'orderId')
  assert.deepEqual(JSON.parse(JSON.stringify(order)).raw, raw)
  assert.match(require('node:util').inspect(order), /^Order \{[^]*raw: \{[^]*success: true/)

  // A status's raw is exactly what check-status answers.
  const status = await cashi.checkStatus(orderId)
  const res = await fetch(`${sb.baseUrl}/check-status/${encodeURIComponent(orderId)}`, {
    headers: { 'x-api-key': sb.apiKey },
  })
  const answer = await res.json()
  assert.deepEqual(status.raw, answer)
  assert.equal(status.raw, status.raw)
  assert.deepEqual({ ...status }.raw, answer)
  assert.equal(status.raw.status, 'PENDING')
  assert.deepEqual(Object.keys(status), [
    'orderId',
    'status',
    'amount',
    'providerTxId',
    'amountFromWebhook',
    'isSettled',
    'isPending',
    'isExpired',
    'isFinal',
    'raw',
  ])

  // Assignable as plain properties were; readable when frozen before the first read.
  status.raw = null
  assert.equal(status.raw, null)
  const frozen = Object.freeze(await cashi.checkStatus(orderId))
  assert.deepEqual(frozen.raw, answer)
  const frozenOrder = Object.freeze(await cashi.createOrder({ amount: 15000, orderId: uniqueId('RAW') }))
  assert.equal(frozenOrder.raw.qrUrl, frozenOrder.qrUrl)
  assert.throws(() => {
    frozenOrder.raw = {}
  }, TypeError)
})

test('order.raw: the QR data URI is put back wherever the answer had it, nothing else changed', async () => {
  const first = await cashi.createOrder({ amount: 15000, orderId: uniqueId('RAW') })
  const qr = first.qrUrl
  const extra = {
    qrUrl: qr,
    qr_url: qr,
    qr_copy: qr,
    zero: 0,
    empty: '',
    nested: { qrUrl: qr, list: [qr, 0, 'é', null] },
  }
  await sb.fault({ kind: 'patch', path: 'create-order', set: extra })
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId('RAW') })
  assert.equal(order.qrUrl, qr)
  for (const [key, value] of Object.entries(extra)) {
    assert.deepEqual(order.raw[key], value, key)
  }
  assert.equal(order.raw.qrUrl, qr)
  assert.equal(order.raw.amount, order.amount)
  assert.deepEqual(order.qrPng(), first.qrPng())
  // An order without a QR (a VA) has raw too, and qrPng() says why there is no QR.
  await sb.clearFaults()
  const va = await cashi.createOrder({ amount: 50000, orderId: uniqueId('VA'), channel: 'BCA' })
  assert.equal(va.qrUrl, null)
  assert.equal(va.raw.va_number, va.virtualAccount.vaNumber)
})

test('createOrder without an orderId gets one from Cashi', async () => {
  const order = await cashi.createOrder({ amount: 20000 })
  assert.equal(typeof order.orderId, 'string')
  assert.ok(order.orderId.length > 0)
  const status = await cashi.checkStatus(order.orderId)
  assert.equal(status.orderId, order.orderId)
})

test('createOrder accepts a bigint amount and a channel; VA and retail fields are read', async () => {
  const va = await cashi.createOrder({ amount: 50000n, orderId: uniqueId('VA'), channel: 'BCA' })
  assert.equal(va.requestedAmount, 50000)
  assert.ok(va.virtualAccount, `no VA fields in ${JSON.stringify(va.raw)}`)
  assert.equal(typeof va.virtualAccount.vaNumber, 'string')
  assert.ok(va.virtualAccount.vaNumber.length > 0)
  assert.equal(va.virtualAccount.vaNumber, va.raw.va_number)
  // Every field of the virtual account, by name, absent ones null.
  assert.deepEqual(Object.keys(va.virtualAccount), [
    'vaNumber',
    'bank',
    'bankName',
    'totalAmount',
    'adminFee',
    'kodeChannel',
  ])
  for (const [key, value] of Object.entries(va.virtualAccount)) {
    assert.notEqual(value, undefined, key)
  }
  assert.equal(va.retail, null)
  await rejectsWith(() => va.qrPng(), 'decode', /qrUrl/)

  const retail = await cashi.createOrder({ amount: 20000, orderId: uniqueId('RT'), channel: 'ALFAMART' })
  assert.ok(retail.retail, `no retail fields in ${JSON.stringify(retail.raw)}`)
  assert.equal(typeof retail.retail.paymentCode, 'string')
  assert.deepEqual(Object.keys(retail.retail), ['paymentCode', 'retailCode', 'retailName'])
  assert.equal(retail.virtualAccount, null)
})

test('checkStatus reads PENDING, then SETTLED with the provider transaction id', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  const pending = await cashi.checkStatus(order.orderId)
  assert.ok(pending instanceof PaymentStatus)
  assert.equal(pending.status, 'PENDING')
  assert.deepEqual(
    [pending.isSettled, pending.isPending, pending.isExpired, pending.isFinal],
    [false, true, false, false],
  )
  assert.equal(pending.orderId, order.orderId)
  assert.equal(pending.providerTxId, null)
  await sb.pay(order.orderId)
  const settled = await cashi.checkStatus(order)
  assert.equal(settled.status, 'SETTLED')
  assert.deepEqual(
    [settled.isSettled, settled.isPending, settled.isExpired, settled.isFinal],
    [true, false, false, true],
  )
  assert.equal(settled.amount, order.amount)
  assert.equal(typeof settled.providerTxId, 'string')
  assert.equal(settled.raw.status, 'SETTLED')
})

test('checkStatus carries a status the SDK does not know, as sent', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  await sb.fault({ kind: 'patch', path: 'check-status', set: { status: 'REFUNDED' } })
  const s = await cashi.checkStatus(order.orderId)
  assert.equal(s.status, 'REFUNDED')
  assert.deepEqual([s.isSettled, s.isPending, s.isExpired, s.isFinal], [false, false, false, false])
})

test('order ids with slashes, spaces and non-ASCII stay one path segment', async () => {
  const orderId = `${uniqueId('A/B')} ?#é`
  const order = await cashi.createOrder({ amount: 15000, orderId })
  const s = await cashi.checkStatus(orderId)
  assert.equal(s.orderId, orderId)
  assert.equal(s.amount, order.amount)
})

test('waitForPayment resolves once the order is paid', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  const waiting = cashi.waitForPayment(order.orderId, { timeoutMs: 60000 })
  await sb.pay(order.orderId)
  const s = await waiting
  assert.equal(s.status, 'SETTLED')
  assert.equal(s.amount, order.amount)
})

test('waitForPayment resolves with EXPIRED when the order expires', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  await sb.expire(order.orderId)
  const s = await cashi.waitForPayment(order, { timeoutMs: 60000 })
  assert.equal(s.status, 'EXPIRED')
  assert.deepEqual([s.isSettled, s.isPending, s.isExpired, s.isFinal], [false, false, true, true])
})

test('waitForPayment rejects with timeout at its deadline', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  const e = await rejectsWith(cashi.waitForPayment(order.orderId, { timeoutMs: 300 }), 'timeout', /PENDING/)
  assert.equal(e.status, undefined)
})

test('waitForPayment reports each poll to onProgress until it ends', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  const seen = []
  let paid
  const waiting = cashi.waitForPayment(order.orderId, {
    timeoutMs: 60000,
    onProgress: (p) => {
      seen.push(p)
      if (seen.length === 2) paid = sb.pay(order.orderId) // pay after two polls saw PENDING
    },
  })
  const s = await waiting
  await paid
  assert.equal(s.status, 'SETTLED')
  assert.ok(seen.length >= 2, `progress calls: ${seen.length}`)
  assert.deepEqual(
    seen.slice(0, 2).map((p) => [p.polls, p.lastStatus]),
    [
      [1, 'PENDING'],
      [2, 'PENDING'],
    ],
  )
  for (const p of seen) {
    assert.ok(p.remainingMs > 0 && p.remainingMs <= 60000, `remainingMs ${p.remainingMs}`)
  }
  await rejectsWith(cashi.waitForPayment(order, { onProgress: 'log' }), 'invalid_argument', /^onProgress: /)
})

test('waitForPayment stops when its AbortSignal aborts, rejecting with the reason', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  const controller = new AbortController()
  const waiting = cashi.waitForPayment(order.orderId, { timeoutMs: 600000, signal: controller.signal })
  // Abort once the wait has surely started polling (the sandbox has answered at least once).
  await cashi.checkStatus(order.orderId)
  controller.abort()
  await assert.rejects(waiting, (e) => e.name === 'AbortError' && !(e instanceof CashiError))
  const reason = new Error('customer left')
  const c2 = new AbortController()
  const second = cashi.waitForPayment(order, { signal: c2.signal })
  c2.abort(reason)
  await assert.rejects(second, (e) => e === reason)
  // Already aborted: rejects at once without asking Cashi.
  await assert.rejects(cashi.waitForPayment(order, { signal: AbortSignal.abort(reason) }), (e) => e === reason)
  // A signal that never aborts changes nothing.
  const c3 = new AbortController()
  const paid = cashi.waitForPayment(order, { timeoutMs: 60000, signal: c3.signal })
  await sb.pay(order.orderId)
  assert.equal((await paid).status, 'SETTLED')
  await rejectsWith(cashi.waitForPayment(order, { signal: {} }), 'invalid_argument', /^signal: /)
})

test('waitForPayment ends at once on not_found', async () => {
  await rejectsWith(cashi.waitForPayment(uniqueId('MISSING'), { timeoutMs: 60000 }), 'not_found')
})

test('confirm succeeds only when SETTLED with exactly the expected amount', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })

  const pending = await rejectsWith(
    cashi.confirm(order.orderId, { expectedAmount: order.amount }),
    'payment_mismatch',
    /do not fulfil/,
  )
  assert.equal(pending.paymentStatus, 'PENDING')
  assert.equal(pending.expectedAmount, order.amount)
  assert.equal(pending.orderId, order.orderId)

  await sb.pay(order.orderId)
  const ok = await cashi.confirm(order.orderId, { expectedAmount: order.amount })
  assert.equal(ok.status, 'SETTLED')
  assert.equal(ok.amount, order.amount)

  const wrong = await rejectsWith(
    cashi.confirm(order.orderId, { expectedAmount: order.amount + 1 }),
    'payment_mismatch',
  )
  assert.equal(wrong.expectedAmount, order.amount + 1)
  assert.equal(wrong.actualAmount, order.amount)
  assert.equal(wrong.paymentStatus, 'SETTLED')
  assert.equal(wrong.status, undefined)
})

test('confirm catches an underpayment and takes an Order, a status or an event-like object', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  await sb.pay(order.orderId, order.amount - 1000)
  const e = await rejectsWith(cashi.confirm(order), 'payment_mismatch') // an Order brings its own amount
  assert.equal(e.expectedAmount, order.amount)
  assert.equal(e.actualAmount, order.amount - 1000)

  const paid = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  await sb.pay(paid.orderId)
  assert.equal((await cashi.confirm(paid)).isSettled, true)
  // An explicit expectedAmount wins over the Order's own.
  const explicit = await rejectsWith(cashi.confirm(paid, { expectedAmount: paid.amount + 1 }), 'payment_mismatch')
  assert.equal(explicit.expectedAmount, paid.amount + 1)
  const status = await cashi.checkStatus(paid.orderId)
  assert.equal((await cashi.confirm(status, { expectedAmount: paid.amount })).amount, paid.amount)
  const eventLike = { orderId: paid.orderId, amount: 1 } // an event's own amount is never trusted
  await rejectsWith(cashi.confirm(eventLike), 'invalid_argument', /expectedAmount/)
  assert.equal((await cashi.confirm(eventLike, { expectedAmount: paid.amount })).status, 'SETTLED')
})

/** A WebhookEvent verified from a body signed for the test. */
function verifiedEvent(orderId, amount) {
  const secret = 'sk_test_confirm'
  const body = JSON.stringify({ event: 'PAYMENT_SETTLED', data: { order_id: orderId, status: 'SETTLED', amount } })
  return new Webhook(secret).verify(body, sign(secret, body))
}

test('confirm: a SETTLED answer without an amount needs the verified event, and says so', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  await sb.pay(order.orderId)
  const noAmount = { kind: 'patch', path: 'check-status', remove: ['amount'] }
  await sb.fault(noAmount)
  const e = await rejectsWith(
    cashi.confirm(order.orderId, { expectedAmount: order.amount }),
    'payment_mismatch',
    /carried no amount.*webhook event/,
  )
  assert.equal(e.actualAmount, null)

  const event = verifiedEvent(order.orderId, order.amount)
  await sb.fault(noAmount)
  const status = await cashi.confirm(event, { expectedAmount: order.amount })
  assert.equal(status.amountFromWebhook, true)
  assert.equal(status.amount, order.amount)
  assert.equal(status.isSettled, true)
  // The event's own amount is never the expectation.
  await rejectsWith(cashi.confirm(event), 'invalid_argument', /expectedAmount: is missing/)
  await sb.fault(noAmount)
  await rejectsWith(
    cashi.confirm(verifiedEvent(order.orderId, order.amount - 1), { expectedAmount: order.amount }),
    'payment_mismatch',
  )
  // With the amount in the answer, it is Cashi's amount as always.
  assert.equal((await cashi.confirm(event, { expectedAmount: order.amount })).amountFromWebhook, false)
})

test('confirm and waitForPayment refuse an answer about another order; settled in lower case is not SETTLED', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  await sb.pay(order.orderId)
  const other = { kind: 'patch', path: 'check-status', set: { order_id: 'OTHER' } }
  await sb.fault(other)
  await rejectsWith(cashi.confirm(order), 'payment_mismatch', /"OTHER"/)
  await sb.fault(other)
  await rejectsWith(cashi.waitForPayment(order.orderId, { timeoutMs: 10000 }), 'payment_mismatch')
  await sb.fault({ kind: 'patch', count: 2, path: 'check-status', set: { status: 'settled' } })
  const lower = await cashi.checkStatus(order.orderId)
  assert.deepEqual([lower.status, lower.isSettled], ['settled', false])
  const e = await rejectsWith(cashi.confirm(order), 'payment_mismatch')
  assert.equal(e.paymentStatus, 'settled')
})

test('invalid_argument: amounts that are not whole rupiah, never rounded', async () => {
  const bad = [
    [15000.5, /15000\.5/],
    [NaN, /NaN/],
    [Infinity, /Infinity/],
    [-Infinity, /-Infinity/],
    [true, /true/],
    ['15000', /string/],
    [null, /null/],
    [undefined, /missing/],
    [{}, /object/],
    [[15000], /array/],
    [2n ** 64n, /too large/],
    [-(2n ** 70n), /too large/],
    [2 ** 60, /too large|limits/],
    [0, /positive/],
    [-15000, /positive/],
    [1999, /limits/],
    [10_000_001, /limits/],
  ]
  for (const [amount, pattern] of bad) {
    const e = await rejectsWith(cashi.createOrder({ amount, orderId: uniqueId() }), 'invalid_argument', /^amount: /)
    assert.match(e.message, pattern, `amount ${String(amount)}`)
    assert.equal(e.status, undefined)
  }
  await rejectsWith(cashi.createOrder({ amount: 9999, channel: 'BCA' }), 'invalid_argument', /BCA/)
  await rejectsWith(cashi.createOrder({ amount: 2_500_001, channel: 'INDOMARET' }), 'invalid_argument', /INDOMARET/)
})

test('invalid_argument: order ids, channels and the request object', async () => {
  for (const [orderId, pattern] of [
    ['', /empty/],
    ['x'.repeat(101), /100/],
    ['a\nb', /U\+000A/],
    [42, /not a string/],
    [{}, /not a string/],
  ]) {
    await rejectsWith(cashi.createOrder({ amount: 15000, orderId }), 'invalid_argument', /^order_?[iI]d: /)
    if (typeof orderId === 'string') {
      await rejectsWith(cashi.checkStatus(orderId), 'invalid_argument', pattern)
      await rejectsWith(cashi.waitForPayment(orderId), 'invalid_argument', pattern)
      await rejectsWith(cashi.confirm(orderId, { expectedAmount: 15023 }), 'invalid_argument', pattern)
    } else {
      await rejectsWith(cashi.checkStatus(orderId), 'invalid_argument', /^orderId: /)
    }
  }
  await rejectsWith(cashi.checkStatus(), 'invalid_argument', /orderId: is missing/)
  await rejectsWith(cashi.createOrder({ amount: 15000, channel: 5 }), 'invalid_argument', /^channel: /)
  await rejectsWith(cashi.createOrder(15000), 'invalid_argument', /createOrder/)
  await rejectsWith(cashi.createOrder(), 'invalid_argument', /createOrder/)
  await rejectsWith(
    cashi.createOrder({ amount: 15000, order_id: 'X' }),
    'invalid_argument',
    /unknown option "order_id"/,
  )
  await rejectsWith(cashi.waitForPayment('X', { timeoutMs: 0 }), 'invalid_argument', /^timeoutMs: /)
  await rejectsWith(cashi.waitForPayment('X', { timeoutMs: '5s' }), 'invalid_argument', /^timeoutMs: /)
  // The core's one rule for durations: at most a day.
  await rejectsWith(cashi.waitForPayment('X', { timeoutMs: 86_400_001 }), 'invalid_argument', /^timeoutMs: .*a day/)
  await rejectsWith(cashi.waitForPayment('X', { timeoutMs: -1 }), 'invalid_argument', /^timeoutMs: -1 /)
  await rejectsWith(cashi.waitForPayment('X', { timeout: 5 }), 'invalid_argument', /unknown option/)
  for (const expectedAmount of [0, -1, 15023.5, '15023', null, NaN]) {
    await rejectsWith(cashi.confirm('X', { expectedAmount }), 'invalid_argument', /^expected_?[aA]mount: /)
  }
  await rejectsWith(cashi.confirm('X'), 'invalid_argument', /expectedAmount: is missing/)
})

test('invalid_argument: client options are checked when the client is built', () => {
  const bad = [
    [{ apiKey: '' }, /^api_?[kK]ey: /],
    [{ apiKey: 'CASHI KEY' }, /^api_?[kK]ey: /],
    [{ apiKey: 42 }, /^apiKey: /],
    [{ apiKey: API_KEY, baseUrl: 'http://example.com/api' }, /^base_?[uU]rl: .*clear text/],
    [{ apiKey: API_KEY, baseUrl: 'not a url' }, /^base_?[uU]rl: /],
    [{ apiKey: API_KEY, baseUrl: 'ftp://cashi.id' }, /^base_?[uU]rl: /],
    [{ apiKey: API_KEY, baseUrl: 'https://user:pw@cashi.id/api' }, /^base_?[uU]rl: .*credentials/],
    [{ apiKey: API_KEY, baseUrl: 7 }, /^baseUrl: /],
    [{ apiKey: API_KEY, timeoutMs: 0 }, /^timeoutMs: /],
    [{ apiKey: API_KEY, timeoutMs: -5 }, /^timeoutMs: /],
    [{ apiKey: API_KEY, timeoutMs: NaN }, /^timeoutMs: NaN/],
    [{ apiKey: API_KEY, timeoutMs: Infinity }, /^timeoutMs: Infinity/],
    [{ apiKey: API_KEY, timeoutMs: 86_400_001 }, /^timeoutMs: .*a day/],
    [{ apiKey: API_KEY, timeoutMs: 1e300 }, /^timeoutMs: .*a day/],
    [{ apiKey: API_KEY, timeoutMs: '30s' }, /^timeoutMs: /],
    [{ apiKey: API_KEY, maxRetries: 1.5 }, /^maxRetries: /],
    [{ apiKey: API_KEY, maxRetries: -1 }, /^maxRetries: /],
    [{ apiKey: API_KEY, maxRetries: 11 }, /^max_?[rR]etries: /],
    [{ apiKey: API_KEY, apikey: 'x' }, /unknown option "apikey"/],
    ['CASHI-KEY', /options must be an object/],
  ]
  for (const [options, pattern] of bad) {
    let error
    try {
      new Cashi(options)
    } catch (e) {
      error = e
    }
    assert.ok(error instanceof CashiError, `no CashiError for ${JSON.stringify(options)}`)
    assert.equal(error.code, 'invalid_argument')
    assert.match(error.message, pattern)
    assert.ok(!error.message.includes('CASHI KEY'), 'the API key is never quoted')
  }
  // A day is the longest duration taken, a fraction of a millisecond the shortest.
  for (const timeoutMs of [86_400_000, 0.5]) {
    assert.ok(new Cashi({ apiKey: API_KEY, timeoutMs }) instanceof Cashi)
  }
})

test('apiKey and baseUrl fall back to CASHI_API_KEY and CASHI_BASE_URL', async () => {
  const saved = { key: process.env.CASHI_API_KEY, url: process.env.CASHI_BASE_URL }
  try {
    delete process.env.CASHI_API_KEY
    delete process.env.CASHI_BASE_URL
    assert.throws(
      () => new Cashi(),
      (e) => e instanceof CashiError && e.code === 'invalid_argument' && /CASHI_API_KEY/.test(e.message),
    )
    process.env.CASHI_API_KEY = sb.apiKey
    process.env.CASHI_BASE_URL = sb.baseUrl
    const fromEnv = new Cashi()
    assert.equal(fromEnv.baseUrl, sb.baseUrl)
    const order = await fromEnv.createOrder({ amount: 15000, orderId: uniqueId() })
    assert.equal(order.requestedAmount, 15000)
    assert.equal(new Cashi({}).baseUrl, sb.baseUrl)
  } finally {
    for (const [name, value] of [
      ['CASHI_API_KEY', saved.key],
      ['CASHI_BASE_URL', saved.url],
    ]) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
})

test('authentication: a wrong API key, on both endpoints', async () => {
  const wrong = new Cashi({ apiKey: 'CASHI-WRONGKEY99', baseUrl: sb.baseUrl })
  const e = await rejectsWith(wrong.createOrder({ amount: 15000 }), 'authentication')
  assert.equal(e.status, 401)
  assert.ok(!e.message.includes('CASHI-WRONGKEY99'), 'the key never appears in a message')
  const e2 = await rejectsWith(wrong.checkStatus('X'), 'authentication')
  assert.equal(e2.status, 401)
})

test('not_found: an unknown order id', async () => {
  const e = await rejectsWith(cashi.checkStatus(uniqueId('MISSING')), 'not_found')
  assert.equal(e.status, 404)
})

test('conflict: an order id used twice', async () => {
  const orderId = uniqueId()
  await cashi.createOrder({ amount: 15000, orderId })
  const e = await rejectsWith(cashi.createOrder({ amount: 15000, orderId }), 'conflict')
  assert.equal(e.status, 409)
})

test('rate_limited: 429 once the retries are spent; a retry after Retry-After succeeds', async () => {
  const noRetry = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, maxRetries: 0 })
  await sb.fault({ kind: 'rate_limit', path: 'create-order', count: 1, retry_after: 1 })
  const e = await rejectsWith(noRetry.createOrder({ amount: 15000 }), 'rate_limited')
  assert.equal(e.status, 429)

  const oneRetry = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, maxRetries: 1 })
  await sb.fault({ kind: 'rate_limit', path: 'create-order', count: 1, retry_after: 1 })
  const order = await oneRetry.createOrder({ amount: 15000, orderId: uniqueId() })
  assert.equal(order.requestedAmount, 15000)
})

test('server: 5xx answers, JSON or a CDN page; check-status retries them', async () => {
  const noRetry = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, maxRetries: 0 })
  for (const status of [500, 502, 503]) {
    await sb.fault({ kind: 'error', path: 'check-status', status, count: 1 })
    const e = await rejectsWith(noRetry.checkStatus('X'), 'server')
    assert.equal(e.status, status)
  }
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  const retrying = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, maxRetries: 2 })
  await sb.fault({ kind: 'error', path: 'check-status', status: 502, count: 1 })
  assert.equal((await retrying.checkStatus(order.orderId)).status, 'PENDING')
})

test('api: success:false with HTTP 200', async () => {
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  await sb.fault({ kind: 'patch', path: 'check-status', set: { success: false, message: 'x' } })
  const e = await rejectsWith(cashi.checkStatus(order.orderId), 'api', /x/)
  assert.equal(e.status, 200)
})

test('decode: a 2xx answer that is not the JSON expected', async () => {
  const noRetry = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, maxRetries: 0 })
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  await sb.fault({ kind: 'patch', path: 'check-status', remove: ['status'] })
  await rejectsWith(noRetry.checkStatus(order.orderId), 'decode', /status/)
  await sb.fault({ kind: 'patch', path: 'create-order', remove: ['amount'] })
  await rejectsWith(noRetry.createOrder({ amount: 15000, orderId: uniqueId() }), 'decode', /amount/)
  await sb.fault({ kind: 'patch', path: 'create-order', set: { qrUrl: 'data:image/png;base64,AAAA' } })
  const badQr = await noRetry.createOrder({ amount: 15000, orderId: uniqueId() })
  await rejectsWith(() => badQr.qrPng(), 'decode', /qrUrl/)
})

test('connection: nothing listening, or the connection dropped', async () => {
  const closed = new Cashi({ apiKey: sb.apiKey, baseUrl: 'http://127.0.0.1:9/api', maxRetries: 0 })
  await rejectsWith(closed.checkStatus('X'), 'connection')
  const noRetry = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, maxRetries: 0 })
  const order = await cashi.createOrder({ amount: 15000, orderId: uniqueId() })
  await sb.fault({ kind: 'drop', path: 'check-status', count: 1 })
  const e = await rejectsWith(noRetry.checkStatus(order.orderId), /* code */ 'connection')
  assert.equal(e.status, undefined)
})

test('a connection the server closed while idle is not reused for the next createOrder', async () => {
  // Servers close keep-alive connections left idle; a create-order is not retried once it
  // may have been sent, so it must not be written to the closed connection.
  const noRetry = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, maxRetries: 0 })
  for (let i = 0; i < 3; i++) {
    const order = await noRetry.createOrder({ amount: 15000 + 100 * i, orderId: uniqueId() })
    assert.ok(order.amount > 15000 + 100 * i)
    await sb.control('POST', 'close-idle-connections')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
})

test('timeout: no answer within timeoutMs; create-order is not repeated after it', async () => {
  const impatient = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, timeoutMs: 200, maxRetries: 2 })
  const orderId = uniqueId()
  await sb.fault({ kind: 'latency', path: 'create-order', latency_ms: 1500, count: 3 })
  const e = await rejectsWith(impatient.createOrder({ amount: 15000, orderId }), 'timeout')
  assert.equal(e.status, undefined)
  // The order was created once; repeating it blindly would have opened a second one.
  const faults = await sb.control('GET', 'faults')
  const left = faults.faults.find((f) => f.kind === 'latency')
  assert.equal(left && left.count, 2, `faults left: ${JSON.stringify(faults)}`)
})
