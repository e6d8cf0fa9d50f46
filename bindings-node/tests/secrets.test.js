'use strict'

// Neither the API key nor a webhook secret shows anywhere, whatever fails. Every error path
// is provoked with the recognisable key and secret of tests/vectors/secrets.json (this
// file's sandbox accepts that key), and each error is looked at the ways a developer sees
// it: message, String(), stack, util.inspect (hidden properties and causes included) and
// JSON.stringify; so are the inspected client and verifier, and everything written to
// stdout and stderr meanwhile.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const { Cashi, CashiError, Webhook, sign } = require('cashi')
const { startSandbox, loadVectors, uniqueId } = require('./helpers.js')

const SECRETS = loadVectors('secrets.json')
const KEY = SECRETS.api_key
const SECRET = SECRETS.webhook_secret

let sb
let checked = 0
const written = []
const realWrites = { stdout: process.stdout.write, stderr: process.stderr.write }

before(async () => {
  sb = await startSandbox(['--api-key', KEY])
  // Everything the SDK might print meanwhile (it prints nothing, and must not print a secret).
  for (const name of ['stdout', 'stderr']) {
    process[name].write = function (chunk, ...rest) {
      written.push(String(chunk))
      return realWrites[name].call(this, chunk, ...rest)
    }
  }
})

after(async () => {
  process.stdout.write = realWrites.stdout
  process.stderr.write = realWrites.stderr
  await sb.stop()
  assertClean('stdout/stderr', written.join(''))
})

function assertClean(what, text) {
  const lower = text.toLowerCase()
  for (const form of SECRETS.leaks.any_case) {
    assert.ok(!lower.includes(form), `${what} shows ${form}:\n${text}`)
  }
  for (const form of SECRETS.leaks.exact) {
    assert.ok(!text.includes(form), `${what} shows ${form}:\n${text}`)
  }
}

function checkError(what, error) {
  assertClean(`${what}: message`, String(error && error.message))
  assertClean(`${what}: String()`, String(error))
  assertClean(`${what}: stack`, String(error && error.stack))
  assertClean(`${what}: inspect`, util.inspect(error, { showHidden: true, depth: Infinity }))
  assertClean(`${what}: JSON`, JSON.stringify(error) ?? '')
  checked += 1
}

/** Runs `call` (sync or async), which must fail with `code`, and checks its error. */
async function fails(what, code, call) {
  let error
  try {
    await call()
  } catch (e) {
    error = e
  }
  assert.ok(error !== undefined, `${what}: did not fail`)
  assert.equal(error.code, code, `${what}: ${error && error.message}`)
  checkError(what, error)
}

test('building a client or a verifier never shows the key or the secret', async () => {
  const url = sb.baseUrl
  const bad = [
    ['a key with a space', { apiKey: `${KEY} `, baseUrl: url }],
    ['a key with a line break', { apiKey: `${KEY}\n`, baseUrl: url }],
    ['a key that is not ASCII', { apiKey: `${KEY}é`, baseUrl: url }],
    ['a cleartext URL', { apiKey: KEY, baseUrl: 'http://cashi.example/api' }],
    ['a bad timeout', { apiKey: KEY, baseUrl: url, timeoutMs: 0 }],
    ['too many retries', { apiKey: KEY, baseUrl: url, maxRetries: 11 }],
    ['an unknown option', { apiKey: KEY, baseUrl: url, apikey: KEY }],
  ]
  // A key of the wrong type is named by its type, never its value.
  for (const key of [9007199254740993, 12345678901234567890n, true, [KEY], { key: KEY }, Buffer.from(KEY)]) {
    bad.push([`a key of type ${typeof key}`, { apiKey: key, baseUrl: url }])
  }
  for (const [what, options] of bad) {
    await fails(what, 'invalid_argument', () => new Cashi(options))
  }
  const numeric = await captured(() => new Cashi({ apiKey: 9007199254740993, baseUrl: url }))
  assert.doesNotMatch(numeric.message, /9007199254740993|9007199254740992/)
  assert.match(numeric.message, /^apiKey: a number is not a string/)

  const client = new Cashi({ apiKey: KEY, baseUrl: url })
  assertClean('inspect(client)', util.inspect(client, { showHidden: true, depth: Infinity }))

  await fails('an empty secret', 'invalid_argument', () => new Webhook(''))
  await fails('an empty second secret', 'invalid_argument', () => new Webhook([SECRET, '']))
  await fails('a number among secrets', 'invalid_argument', () => new Webhook([SECRET, 5]))
  await fails('no secret', 'invalid_argument', () => new Webhook([]))
  await fails('signing under a number', 'invalid_argument', () => sign(5, '{}'))
  await fails('signing a number', 'invalid_argument', () => sign(SECRET, 5))
  await fails('signing under an empty secret', 'invalid_argument', () => sign('', '{}'))
  const webhook = new Webhook([SECRET, 'sk_old'])
  assertClean('inspect(webhook)', util.inspect(webhook, { showHidden: true, depth: Infinity }))
})

async function captured(call) {
  try {
    await call()
  } catch (e) {
    return e
  }
  throw new Error('did not fail')
}

test('no error of any call shows the key', async () => {
  const cashi = new Cashi({ apiKey: KEY, baseUrl: sb.baseUrl, maxRetries: 0, timeoutMs: 3000 })
  const statuses = {
    401: 'authentication',
    403: 'authentication',
    400: 'api',
    404: 'not_found',
    409: 'conflict',
    429: 'rate_limited',
    500: 'server',
    503: 'server',
  }
  for (const [i, echo] of SECRETS.echoes.entries()) {
    for (const [status, code] of Object.entries(statuses)) {
      await sb.fault({ kind: 'error', status: Number(status), message: echo })
      await fails(`HTTP ${status}, echo #${i}`, code, () => cashi.checkStatus('A'))
    }
    const request = { amount: 15000, channel: 'BCA' }
    await sb.fault({ kind: 'patch', path: 'create-order', set: { success: false, message: echo } })
    await fails(`success:false, echo #${i}`, 'api', () => cashi.createOrder(request))
    await sb.fault({ kind: 'patch', path: 'create-order', set: { amount: echo } })
    await fails(`an unreadable amount, echo #${i}`, 'decode', () => cashi.createOrder(request))
    const order = await cashi.createOrder({ ...request, orderId: uniqueId('NODE-SECRET') })
    await sb.fault({ kind: 'patch', path: 'check-status', set: { status: echo } })
    await fails(`a mismatch, echo #${i}`, 'payment_mismatch', () =>
      cashi.confirm(order, { expectedAmount: order.amount }),
    )
  }
  await sb.clearFaults()

  const plain = [
    [{ kind: 'error', status: 502 }, 'server'],
    [{ kind: 'rate_limit', retry_after: 0 }, 'rate_limited'],
    [{ kind: 'truncate' }, 'decode'],
    [{ kind: 'drop' }, 'connection'],
    [{ kind: 'latency', latency_ms: 4000 }, 'timeout'],
  ]
  for (const [fault, code] of plain) {
    await sb.fault(fault)
    await fails(`the fault ${JSON.stringify(fault)}`, code, () => cashi.checkStatus('A'))
  }

  const order = await cashi.createOrder({ amount: 15000, channel: 'BCA', orderId: uniqueId('NODE-SECRET') })
  await fails('a refused amount', 'invalid_argument', () => cashi.createOrder({ amount: 1 }))
  await fails('a refused order id', 'invalid_argument', () => cashi.checkStatus('a\nb'))
  await fails('an unknown order', 'not_found', () => cashi.checkStatus('NO-SUCH-ORDER'))
  await fails('an order id used twice', 'conflict', () =>
    cashi.createOrder({ amount: 15000, channel: 'BCA', orderId: order.orderId }),
  )
  await fails('a wrong amount', 'payment_mismatch', () => cashi.confirm(order, { expectedAmount: 1 }))
  await fails('a wait', 'timeout', () => cashi.waitForPayment(order, { timeoutMs: 300 }))
  const nobody = new Cashi({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9/api', maxRetries: 0 })
  await fails('no listener', 'connection', () => nobody.checkStatus('A'))
  assert.ok(checked >= 150, `only ${checked} errors were checked`)
})

test('no webhook error shows the secret', async () => {
  const webhook = new Webhook([SECRET, 'sk_old'])
  const body = JSON.stringify({
    event: 'PAYMENT_SETTLED',
    data: { order_id: 'INV-1', status: 'SETTLED', amount: 15023 },
  })
  for (const signature of ['', SECRET, `sha256=${SECRET}`, '0'.repeat(64), sign('sk_x', body)]) {
    await fails('a wrong signature', 'signature_invalid', () => webhook.verify(body, signature))
    await fails('a wrong signature header', 'signature_invalid', () =>
      webhook.verifyHeaders(body, { 'x-gateway-signature': signature }),
    )
  }
  await fails('no signature header', 'signature_invalid', () => webhook.verifyHeaders(body, { 'x-other': SECRET }))
  for (const payload of ['not json', '{"event":"PAYMENT_SETTLED"}']) {
    await fails('a signed non-event', 'webhook_payload', () => webhook.verify(payload, sign(SECRET, payload)))
  }
  const parsed = await captured(() => webhook.verify({ a: 1 }, 'x'))
  assert.ok(parsed instanceof TypeError)
  checkError('a parsed body', parsed)
  const event = webhook.verify(body, sign(SECRET, body))
  assertClean('inspect(event)', util.inspect(event, { depth: Infinity }))
  assert.ok(!(event instanceof CashiError))
})
