'use strict'

// The examples, run as a user runs them, against a sandbox that delivers real signed
// webhooks over HTTP.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { spawn } = require('node:child_process')
const path = require('node:path')
const readline = require('node:readline')
const { sign } = require('cashi')
const { startSandbox, eventually, uniqueId } = require('./helpers.js')

const EXAMPLES = process.env.CASHI_EXAMPLES_DIR || path.join(__dirname, 'examples')

/** Runs an example; resolves with the child and a line reader. */
function run(file, args, env) {
  const child = spawn(process.execPath, [path.join(EXAMPLES, file), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines = []
  const waiters = []
  let closed = false
  const wake = () => {
    for (const w of waiters.splice(0)) w()
  }
  const rl = readline.createInterface({ input: child.stdout })
  rl.on('line', (line) => {
    lines.push(line)
    wake()
  })
  rl.on('close', () => {
    closed = true
    wake()
  })
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
  async function line(pattern) {
    for (;;) {
      const found = lines.find((l) => pattern.test(l))
      if (found) return found
      if (closed) {
        throw new Error(`${file} ended without printing ${pattern}; stdout: ${lines.join('\n')}; stderr: ${stderr}`)
      }
      await new Promise((resolve) => waiters.push(resolve))
    }
  }
  return { child, lines, line, exited, stderr: () => stderr }
}

let sb
let shop
let shopUrl

before(async () => {
  sb = await startSandbox(['--webhook-retry-schedule', '1,1,1'])
  shop = run('express-webhook.js', [], {
    PORT: '0',
    CASHI_API_KEY: sb.apiKey,
    CASHI_BASE_URL: sb.baseUrl,
    CASHI_WEBHOOK_SECRET: sb.webhookSecret,
  })
  const listening = await shop.line(/^listening on /)
  shopUrl = listening.slice('listening on '.length)
  await sb.control('POST', 'config', { webhook_url: `${shopUrl}/webhooks/cashi` })
})

after(async () => {
  shop.child.kill('SIGTERM')
  await shop.exited
  await sb.stop()
})

async function shopOrder(id) {
  const res = await fetch(`${shopUrl}/orders/${encodeURIComponent(id)}`)
  return res.status === 200 ? res.json() : null
}

async function createThroughShop(amount) {
  const res = await fetch(`${shopUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount, orderId: uniqueId('SHOP') }),
  })
  assert.equal(res.status, 201)
  return res.json()
}

/** The sandbox's delivery for an order, once it has an attempt answered by the shop. */
function answeredDelivery(orderId) {
  return eventually(
    async () => {
      const [d] = await sb.deliveries(orderId)
      return d && d.attempts.length > 0 && d.attempts.every((a) => a.http_status !== undefined) ? d : null
    },
    { what: `a webhook delivery for ${orderId}` },
  )
}

test('express: a paid order is fulfilled after the signed webhook and confirm', async () => {
  const created = await createThroughShop(15000)
  assert.ok(created.amount > 15000)
  assert.equal((await shopOrder(created.orderId)).state, 'awaiting_payment')
  await sb.pay(created.orderId)
  const delivery = await answeredDelivery(created.orderId)
  assert.equal(delivery.attempts[0].http_status, 200)
  assert.equal(delivery.state, 'delivered')
  const stored = await eventually(async () => {
    const o = await shopOrder(created.orderId)
    return o && o.state === 'fulfilled' ? o : null
  })
  assert.equal(stored.amount, created.amount)
  await shop.line(new RegExp(`order ${created.orderId} paid \\(${created.amount} rupiah\\) and fulfilled`))

  // The sandbox delivers the same settlement again (a lost 200, a retry, a replay of a
  // captured webhook): acknowledged with 200, and the order is fulfilled once.
  const { delivery: again } = await sb.control('POST', `webhooks/${delivery.id}/redeliver`, {})
  const last = again.attempts[again.attempts.length - 1]
  assert.equal(last.redelivery, true)
  assert.equal(last.http_status, 200)
  assert.match(last.response_body, /"duplicate":true/)
  assert.equal(again.attempts.length, 2)
  const fulfilments = shop.lines.filter((l) => l.includes(`order ${created.orderId} paid`))
  assert.equal(fulfilments.length, 1, fulfilments.join('\n'))
  assert.equal((await shopOrder(created.orderId)).state, 'fulfilled')
})

test('express: the dashboard test webhook is answered 200 and fulfils nothing', async () => {
  const { delivery } = await sb.control('POST', 'test-webhook', {})
  assert.match(delivery.order_id, /^TEST-/)
  const last = delivery.attempts[delivery.attempts.length - 1]
  assert.equal(last.http_status, 200)
  assert.match(last.response_body, /"test":true/)
  assert.equal(await shopOrder(delivery.order_id), null)
  await shop.line(new RegExp(`test webhook for ${delivery.order_id} received`))
})

test('express: an underpaid order is not fulfilled (confirm with the stored amount)', async () => {
  const created = await createThroughShop(20000)
  await sb.pay(created.orderId, created.amount - 1000)
  const delivery = await answeredDelivery(created.orderId)
  assert.equal(delivery.attempts[0].http_status, 200)
  const stored = await eventually(async () => {
    const o = await shopOrder(created.orderId)
    return o && o.state === 'needs_review' ? o : null
  })
  assert.match(stored.problem, /does not match/)
})

test('express: a correctly signed webhook for an unpaid order is not fulfilled', async () => {
  // Even a leaked secret cannot make the shop ship: confirm asks Cashi.
  const created = await createThroughShop(15000)
  const body = JSON.stringify({
    event: 'PAYMENT_SETTLED',
    data: { order_id: created.orderId, status: 'SETTLED', amount: created.amount },
  })
  const res = await fetch(`${shopUrl}/webhooks/cashi`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gateway-signature': sign(sb.webhookSecret, body) },
    body,
  })
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { received: true, fulfilled: false })
  assert.equal((await shopOrder(created.orderId)).state, 'needs_review')
})

test('express: a forged or unsigned webhook is refused with 401', async () => {
  const created = await createThroughShop(15000)
  const body = JSON.stringify({
    event: 'PAYMENT_SETTLED',
    data: { order_id: created.orderId, status: 'SETTLED', amount: created.amount },
  })
  for (const headers of [
    { 'content-type': 'application/json', 'x-gateway-signature': sign('sk_attacker', body) },
    { 'content-type': 'application/json' },
  ]) {
    const res = await fetch(`${shopUrl}/webhooks/cashi`, { method: 'POST', headers, body })
    assert.equal(res.status, 401)
  }
  assert.equal((await shopOrder(created.orderId)).state, 'awaiting_payment')
})

test('express: a bad amount is a 400 with the SDK message', async () => {
  const res = await fetch(`${shopUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 15000.5 }),
  })
  assert.equal(res.status, 400)
  assert.match((await res.json()).error, /^amount: /)
})

test('create-and-wait: paid while waiting, confirmed, exit code 0', async () => {
  const orderId = uniqueId('WAIT')
  const script = run('create-and-wait.js', ['15000', orderId], {
    CASHI_API_KEY: sb.apiKey,
    CASHI_BASE_URL: sb.baseUrl,
  })
  const first = await script.line(/^order /)
  const amount = Number(/pay (\d+) rupiah/.exec(first)[1])
  await sb.pay(orderId)
  await script.line(new RegExp(`^SETTLED: ${amount} rupiah, transaction \\S+`))
  assert.equal(await script.exited, 0, script.stderr())
})

test('create-and-wait: expired while waiting, exit code 2', async () => {
  const orderId = uniqueId('WAIT')
  const script = run('create-and-wait.js', ['15000', orderId], {
    CASHI_API_KEY: sb.apiKey,
    CASHI_BASE_URL: sb.baseUrl,
  })
  await script.line(/^order /)
  await sb.expire(orderId)
  await script.line(/^EXPIRED: not paid$/)
  assert.equal(await script.exited, 2, script.stderr())
})

test('create-and-wait: a wrong key ends with the error code, exit code 1', async () => {
  const script = run('create-and-wait.js', ['15000'], {
    CASHI_API_KEY: 'CASHI-WRONGKEY00',
    CASHI_BASE_URL: sb.baseUrl,
  })
  assert.equal(await script.exited, 1)
  assert.match(script.stderr(), /^error authentication: /)
})
