'use strict'

// Webhook verification: every shared vector, the input forms Node users have, and the
// guidance when a parsed body is passed.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { Webhook, WebhookEvent, CashiError, sign, SIGNATURE_HEADER } = require('cashi')
const { loadVectors, vectorBody, WEBHOOK_SECRET, assertErrorClass } = require('./helpers.js')

const BODY = '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-9921","status":"SETTLED","amount":15023}}'
const SIGNATURE = 'ad50de7daeda7c4c7e915d914d1ccaf7353ad09b411c7c81a8431303fed245da'

function throwsCashi(fn, code) {
  let error
  try {
    fn()
  } catch (e) {
    error = e
  }
  assert.ok(error instanceof CashiError, `expected CashiError ${code}, got ${error && error.stack}`)
  assertErrorClass(error, code)
  assert.equal(error.status, undefined)
  return error
}

function checkEvent(event, expected, body) {
  assert.ok(event instanceof WebhookEvent)
  assert.equal(event.event, expected.event)
  assert.equal(event.orderId, expected.order_id)
  assert.equal(event.status, expected.status)
  assert.equal(event.amount, expected.amount)
  assert.equal(event.isTest, expected.is_test)
  assert.equal(event.isSettled, expected.is_settled)
  assert.equal(event.paymentMethod, expected.payment_method ?? null)
  assert.equal(event.paidAt, expected.paid_at ?? null)
  assert.equal(event.transactionId, expected.transaction_id ?? null)
  assert.deepEqual(event.raw, JSON.parse(body.toString('utf8')))
  if (event.paidAtTime !== null) {
    assert.ok(event.paidAtTime instanceof Date)
  }
}

test('paidAtTime: paid_at read as Jakarta time, null when absent or unreadable', () => {
  const secret = 'sk_paid_at'
  const verify = (data) => {
    const body = JSON.stringify({
      event: 'PAYMENT_SETTLED',
      data: { order_id: 'INV-1', status: 'SETTLED', amount: 1, ...data },
    })
    return new Webhook(secret).verify(body, sign(secret, body))
  }
  const paid = verify({ paid_at: '2026-12-05 10:20:30' })
  assert.equal(paid.paidAt, '2026-12-05 10:20:30')
  assert.ok(paid.paidAtTime instanceof Date)
  assert.equal(paid.paidAtTime.toISOString(), '2026-12-05T03:20:30.000Z')
  assert.equal(verify({}).paidAtTime, null)
  const unreadable = verify({ paid_at: 'yesterday' })
  assert.deepEqual([unreadable.paidAt, unreadable.paidAtTime], ['yesterday', null])
})

for (const file of ['webhook_signatures.json', 'webhook_payloads.json']) {
  const { cases } = loadVectors(file)
  test(`${file}: has cases`, () => {
    assert.ok(cases.length >= 10, `${file} has ${cases.length} cases`)
  })
  for (const c of cases) {
    test(`${file}: ${c.name}`, () => {
      const body = vectorBody(c)
      const webhook = new Webhook(c.secrets.length === 1 ? c.secrets[0] : c.secrets)
      if (c.expect.ok) {
        checkEvent(webhook.verify(body, c.signature), c.expect.event, body)
        // The same through the headers, as Node delivers them.
        checkEvent(webhook.verifyHeaders(body, { [SIGNATURE_HEADER]: c.signature }), c.expect.event, body)
        // And from a string body when the bytes are valid UTF-8.
        checkEvent(webhook.verify(body.toString('utf8'), c.signature), c.expect.event, body)
      } else {
        const e = throwsCashi(() => webhook.verify(body, c.signature), c.expect.error)
        if (c.expect.field) {
          assert.ok(e.message.includes(c.expect.field), `message ${JSON.stringify(e.message)} names ${c.expect.field}`)
        }
        throwsCashi(() => webhook.verifyHeaders(body, { [SIGNATURE_HEADER]: c.signature }), c.expect.error)
      }
    })
  }
}

test('the signature is read whole, however long, in any script', () => {
  const wh = new Webhook(WEBHOOK_SECRET)
  // The core trims whitespace: a valid signature inside 600 spaces still verifies.
  const padded = `${' '.repeat(300)}${SIGNATURE}${' '.repeat(300)}`
  assert.equal(wh.verify(BODY, padded).amount, 15023)
  assert.match(throwsCashi(() => wh.verify(BODY, 'a'.repeat(400)), 'signature_invalid').message, /is 400 characters/)
  throwsCashi(() => wh.verify(BODY, `${SIGNATURE.slice(0, 63)}é`), 'signature_invalid')
  throwsCashi(() => wh.verify(BODY, 'é'.repeat(200)), 'signature_invalid')
})

test('verify takes a Buffer, a string, a Uint8Array or an ArrayBuffer', () => {
  const wh = new Webhook(WEBHOOK_SECRET)
  const bytes = Buffer.from(BODY)
  const u8 = new Uint8Array(bytes)
  const ab = u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength)
  // A view into the middle of a larger buffer must use only its own bytes.
  const padded = Buffer.concat([Buffer.from('xxxx'), bytes, Buffer.from('yyyy')]).subarray(4, 4 + bytes.length)
  for (const body of [bytes, BODY, u8, ab, padded]) {
    assert.equal(wh.verify(body, SIGNATURE).amount, 15023)
  }
})

test('event.raw is the verified body, parsed on first read, the same object on every read', () => {
  const wh = new Webhook(WEBHOOK_SECRET)
  const expected = JSON.parse(BODY)
  const event = wh.verify(BODY, SIGNATURE)
  const raw = event.raw
  assert.deepEqual(raw, expected)
  assert.equal(event.raw, raw)
  assert.deepEqual(Object.keys(event), [
    'event',
    'orderId',
    'status',
    'amount',
    'paymentMethod',
    'paidAt',
    'paidAtTime',
    'transactionId',
    'isTest',
    'isSettled',
    'isVerified',
    'raw',
  ])
  // A plain property in every way a user sees: serialized, spread, shown by console.log.
  assert.deepEqual(JSON.parse(JSON.stringify(event)).raw, expected)
  assert.equal({ ...event }.raw, raw)
  assert.match(require('node:util').inspect(event), /^WebhookEvent \{[^]*raw: \{[^]*event: 'PAYMENT_SETTLED'/)
  // Assignable and deletable as before.
  event.raw = 'replaced'
  assert.equal(event.raw, 'replaced')
  assert.ok(delete event.raw)
  assert.equal(event.raw, undefined)
  // Readable after its user froze the event, before any read.
  const frozen = Object.freeze(wh.verify(BODY, SIGNATURE))
  assert.deepEqual(frozen.raw, expected)
  assert.equal(frozen.raw, frozen.raw)
})

test('event.raw is what was verified, even if the caller reuses its buffer afterwards', () => {
  const wh = new Webhook(WEBHOOK_SECRET)
  const expected = JSON.parse(BODY)
  const bytes = Buffer.from(BODY)
  const u8 = new Uint8Array(Buffer.from(BODY))
  const ab = new Uint8Array(Buffer.from(BODY)).buffer
  const padded = Buffer.concat([Buffer.from('xxxx'), bytes, Buffer.from('yyyy')])
  const view = padded.subarray(4, 4 + bytes.length)
  for (const [body, memory] of [
    [bytes, bytes],
    [u8, u8],
    [ab, new Uint8Array(ab)],
    [view, padded],
  ]) {
    const event = wh.verify(body, SIGNATURE)
    const viaHeaders = wh.verifyHeaders(body, { [SIGNATURE_HEADER]: SIGNATURE })
    memory.fill(0x20) // spaces: still JSON-ish, so a shared buffer would parse differently or fail
    memory[memory.length - 2] = 0x31
    assert.deepEqual(event.raw, expected)
    assert.deepEqual(viaHeaders.raw, expected)
  }
})

test('isSigned: the signature header in any case or CGI spelling, by the core rule', () => {
  assert.equal(Webhook.isSigned({ 'X-GATEWAY-Signature': 'ab' }), true)
  assert.equal(Webhook.isSigned(new Map([['HTTP_X_GATEWAY_SIGNATURE', 'ab']])), true)
  assert.equal(Webhook.isSigned(new Headers({ 'x-gateway-signature': 'ab' })), true)
  assert.equal(Webhook.isSigned({ 'content-type': 'application/json', 'x-gateway': 'ab' }), false)
  assert.equal(Webhook.isSigned({ [SIGNATURE_HEADER]: undefined }), false)
})

test('verifyHeaders: Node headers (string[] values, undefined), fetch Headers, a Map, any case', () => {
  const wh = new Webhook(WEBHOOK_SECRET)
  assert.equal(
    wh.verifyHeaders(BODY, {
      'content-type': 'application/json',
      'x-gateway-signature': SIGNATURE,
      'x-other': undefined,
    }).orderId,
    'INV-9921',
  )
  assert.equal(wh.verifyHeaders(BODY, { 'X-Gateway-Signature': [SIGNATURE] }).orderId, 'INV-9921')
  assert.equal(wh.verifyHeaders(BODY, new Headers({ 'X-Gateway-Signature': SIGNATURE })).orderId, 'INV-9921')
  assert.equal(wh.verifyHeaders(BODY, new Map([['x-gateway-signature', SIGNATURE]])).orderId, 'INV-9921')
  const e = throwsCashi(() => wh.verifyHeaders(BODY, { 'content-type': 'application/json' }), 'signature_invalid')
  assert.match(e.message, /x-gateway-signature/)
  throwsCashi(() => wh.verifyHeaders(BODY, { 'x-gateway-signature': undefined }), 'signature_invalid')
  throwsCashi(() => wh.verifyHeaders(BODY, null), 'invalid_argument')
  throwsCashi(() => wh.verifyHeaders(BODY, 'x-gateway-signature: abc'), 'invalid_argument')
})

test('a missing signature is signature_invalid, a non-string one invalid_argument', () => {
  const wh = new Webhook(WEBHOOK_SECRET)
  throwsCashi(() => wh.verify(BODY, undefined), 'signature_invalid')
  throwsCashi(() => wh.verify(BODY, null), 'signature_invalid')
  assert.equal(wh.verify(BODY, [SIGNATURE]).amount, 15023)
  throwsCashi(() => wh.verify(BODY, 12345), 'invalid_argument')
})

test('a parsed body (express.json()) is a TypeError that shows express.raw', () => {
  const wh = new Webhook(WEBHOOK_SECRET)
  for (const parsed of [JSON.parse(BODY), {}, []]) {
    assert.throws(
      () => wh.verify(parsed, SIGNATURE),
      (e) => {
        assert.ok(e instanceof TypeError)
        assert.ok(!(e instanceof CashiError))
        assert.ok(e.message.includes("express.raw({ type: 'application/json' })"), e.message)
        assert.ok(e.message.includes('app.post('), 'shows the line to write')
        const firstFrame = e.stack.split('\n').find((line) => line.startsWith('    at '))
        assert.match(firstFrame, /Webhook\.verify/, 'the stack starts at the SDK method')
        return true
      },
    )
    assert.throws(() => wh.verifyHeaders(parsed, {}), TypeError)
  }
  for (const missing of [undefined, null, 42]) {
    const e = throwsCashi(() => wh.verify(missing, SIGNATURE), 'invalid_argument')
    assert.match(e.message, /express\.raw/)
  }
})

test('secrets: one, an array for rotation; empty or wrong types are invalid_argument', () => {
  assert.equal(new Webhook(['sk_new', WEBHOOK_SECRET]).verify(BODY, SIGNATURE).amount, 15023)
  assert.equal(new Webhook([WEBHOOK_SECRET, 'sk_new']).verify(BODY, SIGNATURE).amount, 15023)
  assert.equal(new Webhook(Buffer.from(WEBHOOK_SECRET)).verify(BODY, SIGNATURE).amount, 15023)
  throwsCashi(() => new Webhook(['sk_other']).verify(BODY, SIGNATURE), 'signature_invalid')
  for (const bad of [undefined, null, 42, {}, '', [], ['ok', ''], ['ok', 5]]) {
    const e = throwsCashi(() => new Webhook(bad), 'invalid_argument')
    assert.match(e.message, /secret/)
  }
})

test('sign produces what verify accepts, and the known answer', () => {
  assert.equal(sign(WEBHOOK_SECRET, BODY), SIGNATURE)
  assert.equal(sign(WEBHOOK_SECRET, Buffer.from(BODY)), SIGNATURE)
  assert.equal(sign(Buffer.from(WEBHOOK_SECRET), new Uint8Array(Buffer.from(BODY))), SIGNATURE)
  const body = JSON.stringify({
    event: 'PAYMENT_SETTLED',
    data: { order_id: 'TEST-1', status: 'SETTLED', amount: 2000 },
  })
  const event = new Webhook('sk_mine').verify(body, sign('sk_mine', body))
  assert.equal(event.isTest, true)
  assert.equal(event.amount, 2000)
  throwsCashi(() => sign('', BODY), 'invalid_argument')
  throwsCashi(() => sign(WEBHOOK_SECRET, { a: 1 }), 'invalid_argument')
  throwsCashi(() => sign(undefined, BODY), 'invalid_argument')
})

test('verification is synchronous', () => {
  const wh = new Webhook(WEBHOOK_SECRET)
  const result = wh.verify(BODY, SIGNATURE)
  assert.equal(typeof result.then, 'undefined')
  assert.equal(result.amount, 15023)
})
