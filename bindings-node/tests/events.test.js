'use strict'

// What the client and the verifier emit ('request', 'response', 'retry', 'verification')
// for a success, a retried 503, a timeout and webhook checks, and NODE_DEBUG=cashi; never
// the key or the secret.

const { test, before, after, afterEach } = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const { Cashi, Webhook, sign, SignatureVerificationError, APITimeoutError } = require('cashi')
const { startSandbox, uniqueId } = require('./helpers.js')

let sb

before(async () => {
  sb = await startSandbox()
})

after(async () => {
  await sb.stop()
})

afterEach(async () => {
  await sb.clearFaults()
})

/** A client whose events land in the returned list, as [name, payload]. */
function listened(options = {}) {
  const client = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, ...options })
  const seen = []
  for (const name of ['request', 'response', 'retry']) {
    client.on(name, (event) => seen.push([name, event]))
  }
  return { client, seen }
}

function assertNoSecret(seen, ...secrets) {
  const text = JSON.stringify(seen)
  for (const secret of secrets) {
    assert.ok(!text.includes(secret), text)
  }
}

test('a success is a response and a request, emitted before the Promise settles', async () => {
  const { client, seen } = listened()
  const id = uniqueId('EV-OK')
  await client.createOrder({ amount: 15000, orderId: id })
  assert.deepEqual(
    seen.map(([name]) => name),
    ['response', 'request'],
  )
  seen.length = 0
  await client.checkStatus(id)
  assert.deepEqual(
    seen.map(([name]) => name),
    ['response', 'request'],
  )
  const [[, attempt], [, call]] = seen
  assert.equal(attempt.type, 'attempt')
  assert.equal(attempt.method, 'GET')
  assert.equal(attempt.path, `/check-status/${id}`)
  assert.equal(attempt.orderId, id)
  assert.equal(attempt.attempt, 1)
  assert.equal(attempt.httpStatus, 200)
  assert.equal(attempt.error, null)
  assert.equal(attempt.retryInMs, null)
  assert.ok(attempt.elapsedMs >= 0)
  assert.deepEqual(Object.keys(call), [
    'type',
    'method',
    'path',
    'orderId',
    'attempts',
    'httpStatus',
    'elapsedMs',
    'error',
  ])
  assert.equal(call.attempts, 1)
  assert.equal(call.httpStatus, 200)
  assertNoSecret(seen, sb.apiKey)
})

test('a retried 503 is a response and a retry, then the answered attempt', async () => {
  const { client, seen } = listened()
  const id = uniqueId('EV-503')
  await client.createOrder({ amount: 15000, orderId: id })
  seen.length = 0
  // The server echoes the key in its message: the events must not.
  await sb.fault({ kind: 'error', status: 503, count: 1, path: 'check-status', message: 'busy, key {api_key}' })
  await client.checkStatus(id)
  assert.deepEqual(
    seen.map(([name]) => name),
    ['response', 'retry', 'response', 'request'],
  )
  const failed = seen[0][1]
  assert.equal(seen[1][1], failed, "'retry' carries the failed attempt")
  assert.equal(failed.httpStatus, 503)
  assert.equal(failed.error.code, 'server')
  assert.ok(failed.retryInMs > 0)
  assert.equal(seen[2][1].attempt, 2)
  assert.equal(seen[2][1].httpStatus, 200)
  assert.equal(seen[3][1].attempts, 2)
  assertNoSecret(seen, sb.apiKey)
})

test('a timeout is a response without a status and a failed request', async () => {
  const { client, seen } = listened({ timeoutMs: 300, maxRetries: 0 })
  const id = uniqueId('EV-TIME')
  await client.createOrder({ amount: 15000, orderId: id })
  seen.length = 0
  await sb.fault({ kind: 'latency', latency_ms: 1500, count: 1, path: 'check-status' })
  await assert.rejects(client.checkStatus(id), APITimeoutError)
  assert.deepEqual(
    seen.map(([name]) => name),
    ['response', 'request'],
  )
  const [[, attempt], [, call]] = seen
  assert.equal(attempt.httpStatus, null)
  assert.equal(attempt.error.code, 'timeout')
  assert.equal(attempt.retryInMs, null)
  assert.equal(call.error.code, 'timeout')
  assertNoSecret(seen, sb.apiKey)
})

test('listeners added and removed between calls are followed', async () => {
  const client = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl })
  const id = uniqueId('EV-ONOFF')
  await client.createOrder({ amount: 15000, orderId: id }) // nobody listens
  const calls = []
  const onRequest = (call) => calls.push(call.path)
  client.once('request', onRequest)
  await client.checkStatus(id)
  await client.checkStatus(id) // the once listener is gone
  client.on('request', onRequest)
  await client.checkStatus(id)
  client.off('request', onRequest)
  await client.checkStatus(id)
  assert.deepEqual(calls, [`/check-status/${id}`, `/check-status/${id}`])
})

test("the verifier emits 'verification' before verify returns or throws", () => {
  const webhook = new Webhook(sb.webhookSecret)
  const seen = []
  webhook.on('verification', (event) => seen.push(event))
  const body = JSON.stringify({
    event: 'PAYMENT_SETTLED',
    data: { order_id: 'INV-EV-9', status: 'SETTLED', amount: 15023 },
  })
  webhook.verify(body, sign(sb.webhookSecret, body))
  assert.deepEqual(seen, [{ type: 'webhook', orderId: 'INV-EV-9', isTest: false, error: null }])
  assert.throws(() => webhook.verify(body, '0'.repeat(64)), SignatureVerificationError)
  assert.throws(() => webhook.verifyHeaders(body, {}), SignatureVerificationError)
  assert.equal(seen.length, 3)
  assert.equal(seen[1].error.code, 'signature_invalid')
  assert.equal(seen[1].orderId, null)
  assert.match(seen[2].error.message, /no x-gateway-signature header/)
  assertNoSecret(seen, sb.webhookSecret)
  new Webhook(sb.webhookSecret).verify(body, sign(sb.webhookSecret, body)) // nobody listens: nothing
  assert.equal(seen.length, 3)
})

test('NODE_DEBUG=cashi prints the core line of every event to stderr', async () => {
  const id = uniqueId('EV-DEBUG')
  const client = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl })
  await client.createOrder({ amount: 15000, orderId: id })
  const script = `
    const { Cashi } = require('cashi')
    new Cashi({ apiKey: process.argv[1], baseUrl: process.argv[2] }).checkStatus(process.argv[3])
  `
  const run = (NODE_DEBUG) => {
    const child = spawnSync(process.execPath, ['-e', script, sb.apiKey, sb.baseUrl, id], {
      env: { ...process.env, NODE_DEBUG },
      encoding: 'utf8',
    })
    assert.equal(child.status, 0, child.stderr)
    return child.stderr
  }
  const printed = run('cashi')
  const lines = printed.trim().split('\n')
  assert.equal(lines.length, 2, printed)
  assert.match(
    lines[0],
    new RegExp(`^CASHI \\d+: debug GET /check-status/${id} order=${id} attempt 1: 200 in \\d+ ms$`),
  )
  assert.match(
    lines[1],
    new RegExp(`^CASHI \\d+: info GET /check-status/${id} order=${id}: 200 in \\d+ ms after 1 attempt$`),
  )
  assert.ok(!printed.includes(sb.apiKey))
  assert.equal(run(''), '', 'nothing without NODE_DEBUG')
})
