'use strict'

// cashi/express, cashi/fastify and cashi/handler (a Fetch API Request, as in a Next.js
// route handler), served for real: the sandbox delivers its signed webhooks to them,
// retries what they refuse, and redelivers.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const express = require('express')
const Fastify = require('fastify')
const { Cashi, Webhook, sign } = require('cashi')
const { webhookHandler } = require('cashi/express')
const cashiWebhook = require('cashi/fastify')
const { WebhookHandler } = require('cashi/handler')
const { startSandbox, eventually, loadVectors, uniqueId } = require('./helpers.js')

const SIGNED = '/webhooks/cashi'
const UNSIGNED = '/webhooks/unsigned'
const JSON_TYPE = { 'content-type': 'application/json' }

let sb
let client

before(async () => {
  sb = await startSandbox(['--webhook-retry-schedule', '1,1,1'])
  client = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl })
})

after(async () => {
  await sb.stop()
})

/** The merchant's side: stored amounts, what was fulfilled, every callback made. */
function makeShop() {
  const shop = { orders: new Map(), fulfilled: [], mismatches: [], errors: [], calls: [], failPaid: 0 }
  shop.callbacks = {
    expectedAmount: (orderId) => {
      shop.calls.push('expectedAmount')
      return shop.orders.get(orderId)
    },
    alreadyFulfilled: async (orderId) => {
      shop.calls.push('alreadyFulfilled')
      return shop.fulfilled.some(([id]) => id === orderId)
    },
    onPaid: async (orderId, amount, event) => {
      shop.calls.push('onPaid')
      if (shop.failPaid > 0) {
        shop.failPaid -= 1
        throw new Error('the order database is down')
      }
      shop.fulfilled.push([orderId, amount, event])
    },
    onMismatch: (orderId, error) => {
      shop.calls.push('onMismatch')
      shop.mismatches.push([orderId, error.code])
    },
    onError: (error, context) => {
      shop.errors.push([context.step, String(error)])
    },
  }
  shop.fulfilledIds = () => shop.fulfilled.map(([id]) => id)
  return shop
}

/** A client for the handlers: no retries, so a dropped connection is one failed confirm. */
function handlerClient() {
  return new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, maxRetries: 0 })
}

function listen(server) {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`))
  })
}

async function serveExpress(shop, { bodyParser }) {
  const app = express()
  const options = { secret: sb.webhookSecret, client: handlerClient(), ...shop.callbacks }
  const parser = bodyParser ? [express.raw({ type: 'application/json' })] : []
  app.post(SIGNED, ...parser, webhookHandler(options))
  app.post(UNSIGNED, ...parser, webhookHandler(new WebhookHandler({ ...options, allowUnsigned: true })))
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

async function serveFastify(shop) {
  const app = Fastify()
  const options = { secret: sb.webhookSecret, client: handlerClient(), ...shop.callbacks }
  await app.register(cashiWebhook, { path: SIGNED, ...options })
  await app.register(cashiWebhook, { path: UNSIGNED, ...options, allowUnsigned: true })
  // The rest of the application keeps Fastify's JSON parsing.
  app.post('/orders', async (request) => ({ parsed: request.body }))
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, close: () => app.close(), app }
}

const SERVERS = {
  'express (express.raw)': (shop) => serveExpress(shop, { bodyParser: true }),
  'express (no body parser: the stream)': (shop) => serveExpress(shop, { bodyParser: false }),
  fastify: serveFastify,
}

async function post(url, body, headers) {
  const res = await fetch(url, { method: 'POST', body, headers })
  return [res.status, await res.text()]
}

async function newOrder(shop, amount = 15000) {
  const order = await client.createOrder({ amount, orderId: uniqueId('HOOK') })
  shop.orders.set(order.orderId, order.amount)
  return order
}

/** The sandbox's delivery for an order once it has `attempts` attempts. */
function delivered(orderId, attempts = 1) {
  return eventually(
    async () => {
      const [d] = await sb.deliveries(orderId)
      return d && d.attempts.length >= attempts ? d : null
    },
    { tries: 400, what: `${attempts} delivery attempt(s) for ${orderId}` },
  )
}

const answers = (delivery) => delivery.attempts.map((a) => [a.http_status, a.response_body])

function signedHeaders(secret, body) {
  return { ...JSON_TYPE, 'x-gateway-signature': sign(secret, body) }
}

function webhookBody(orderId, amount) {
  return JSON.stringify({ event: 'PAYMENT_SETTLED', data: { order_id: orderId, status: 'SETTLED', amount } })
}

for (const [name, serve] of Object.entries(SERVERS)) {
  test(`${name}: the sandbox's deliveries, a redelivery, a test webhook, bad signatures, retries`, async () => {
    await sb.clearFaults()
    const shop = makeShop()
    const server = await serve(shop)
    await sb.control('POST', 'config', { webhook_url: server.url + SIGNED })
    try {
      // Paid: confirmed against the stored amount, then onPaid, once.
      const order = await newOrder(shop)
      await sb.pay(order.orderId)
      const delivery = await delivered(order.orderId)
      assert.deepEqual(answers(delivery), [[200, 'fulfilled']])
      assert.equal(shop.fulfilled.length, 1)
      const [paidId, paidAmount, event] = shop.fulfilled[0]
      assert.deepEqual([paidId, paidAmount], [order.orderId, order.amount])
      assert.equal(event.isVerified, true)

      // The same webhook again: 200, fulfilled once, and Cashi is not asked again.
      let calls = shop.calls.length
      const { delivery: again } = await sb.control('POST', `webhooks/${delivery.id}/redeliver`, {})
      assert.equal(again.attempts.at(-1).redelivery, true)
      assert.deepEqual(answers(again).at(-1), [200, 'already fulfilled'])
      assert.deepEqual(shop.calls.slice(calls), ['alreadyFulfilled'])
      assert.equal(shop.fulfilled.length, 1)

      // The dashboard's Test Webhook: 200, none of the merchant's callbacks runs.
      calls = shop.calls.length
      const { delivery: testDelivery } = await sb.control('POST', 'test-webhook', {})
      assert.match(testDelivery.order_id, /^TEST-/)
      assert.deepEqual(answers(testDelivery), [[200, 'test webhook: nothing fulfilled']])

      // Bad signatures: 400, nothing called.
      const genuine = delivery.body
      assert.deepEqual(await post(server.url + SIGNED, genuine, signedHeaders('sk_not_the_secret', genuine)), [
        400,
        'invalid signature',
      ])
      const reencoded = JSON.stringify(JSON.parse(genuine), null, 1)
      assert.deepEqual(await post(server.url + SIGNED, reencoded, signedHeaders(sb.webhookSecret, genuine)), [
        400,
        'invalid signature',
      ])
      assert.deepEqual(await post(server.url + SIGNED, genuine, JSON_TYPE), [400, 'invalid signature'])
      const notCashi = '{"hello":"world"}'
      assert.deepEqual(await post(server.url + SIGNED, notCashi, signedHeaders(sb.webhookSecret, notCashi)), [
        400,
        'invalid payload',
      ])
      assert.deepEqual(shop.calls.slice(calls), [])

      // onPaid throws: 500, the sandbox delivers again, and the retry fulfils.
      const flaky = await newOrder(shop)
      shop.failPaid = 1
      await sb.pay(flaky.orderId)
      assert.deepEqual(answers(await delivered(flaky.orderId, 2)), [
        [500, 'handler error: retry later'],
        [200, 'fulfilled'],
      ])
      assert.equal(shop.fulfilledIds().filter((id) => id === flaky.orderId).length, 1)
      assert.deepEqual(shop.errors, [['onPaid', 'Error: the order database is down']])

      // confirm cannot reach Cashi (the connection drops): 503, and the retry fulfils.
      const dropped = await newOrder(shop)
      await sb.fault({ kind: 'drop', path: 'check-status', count: 1 })
      await sb.pay(dropped.orderId)
      assert.deepEqual(answers(await delivered(dropped.orderId, 2)), [
        [503, 'could not confirm the payment yet: retry later'],
        [200, 'fulfilled'],
      ])

      // An order this shop never stored: 404.
      const stranger = webhookBody('HOOK-not-ours', 15023)
      assert.deepEqual(await post(server.url + SIGNED, stranger, signedHeaders(sb.webhookSecret, stranger)), [
        404,
        'unknown order',
      ])

      // Paid with another amount: 409, onMismatch, never onPaid. (Last: the sandbox keeps
      // retrying it, and each retry asks Cashi again.)
      const short = await newOrder(shop, 20000)
      await sb.pay(short.orderId, short.amount - 5)
      assert.deepEqual(answers(await delivered(short.orderId))[0], [409, 'payment not confirmed: not fulfilled'])
      assert.deepEqual(shop.mismatches[0], [short.orderId, 'payment_mismatch'])
      assert.ok(!shop.fulfilledIds().includes(short.orderId))
    } finally {
      await sb.control('POST', 'config', { webhook_url: null })
      await server.close()
    }
  })

  test(`${name}: allowUnsigned reads an unsigned body as a hint that confirm decides`, async () => {
    await sb.clearFaults()
    const shop = makeShop()
    const server = await serve(shop)
    try {
      // A signed delivery to the route that allows unsigned ones is verified as usual.
      await sb.control('POST', 'config', { webhook_url: server.url + UNSIGNED })
      const order = await newOrder(shop)
      await sb.pay(order.orderId)
      assert.deepEqual(answers(await delivered(order.orderId)), [[200, 'fulfilled']])
      assert.equal(shop.fulfilled.at(-1)[2].isVerified, true)
      await sb.control('POST', 'config', { webhook_url: null }) // the test sends the bodies itself

      // Unsigned, for a paid order: fulfilled with the stored amount, whatever the body claims.
      const paid = await newOrder(shop)
      await sb.pay(paid.orderId)
      assert.deepEqual(await post(server.url + UNSIGNED, webhookBody(paid.orderId, 1), JSON_TYPE), [200, 'fulfilled'])
      const [id, amount, event] = shop.fulfilled.at(-1)
      assert.deepEqual([id, amount, event.isVerified, event.amount], [paid.orderId, paid.amount, false, 1])

      // Unsigned, for an order nobody paid: refused, nothing fulfilled.
      const unpaid = await newOrder(shop)
      assert.deepEqual(await post(server.url + UNSIGNED, webhookBody(unpaid.orderId, unpaid.amount), JSON_TYPE), [
        409,
        'payment not confirmed: not fulfilled',
      ])

      // Unsigned, paid, but Cashi's answer carries no amount: the unsigned amount vouches for nothing.
      const quiet = await newOrder(shop)
      await sb.pay(quiet.orderId)
      await sb.fault({ kind: 'patch', path: 'check-status', remove: ['amount'], count: 1 })
      const body = webhookBody(quiet.orderId, quiet.amount)
      assert.deepEqual(await post(server.url + UNSIGNED, body, JSON_TYPE), [
        409,
        'payment not confirmed: not fulfilled',
      ])

      // A wrong or empty signature is still refused there, and an unsigned body on the other route.
      assert.deepEqual(await post(server.url + UNSIGNED, body, signedHeaders('sk_not_the_secret', body)), [
        400,
        'invalid signature',
      ])
      assert.deepEqual(await post(server.url + UNSIGNED, body, { ...JSON_TYPE, 'x-gateway-signature': '' }), [
        400,
        'invalid signature',
      ])
      assert.deepEqual(await post(server.url + SIGNED, body, JSON_TYPE), [400, 'invalid signature'])
      for (const refused of [unpaid, quiet]) {
        assert.ok(!shop.fulfilledIds().includes(refused.orderId))
      }

      // An unsigned test webhook: 200, nothing called.
      const calls = shop.calls.length
      assert.deepEqual(await post(server.url + UNSIGNED, webhookBody('TEST-1', 15023), JSON_TYPE), [
        200,
        'test webhook: nothing fulfilled',
      ])
      assert.deepEqual(shop.calls.slice(calls), [])
    } finally {
      await server.close()
    }
  })
}

test('express: after express.json() the raw bytes are gone: 500 saying where to mount it, never a re-encoded body', async () => {
  const shop = makeShop()
  const app = express()
  app.use(express.json())
  app.post(SIGNED, webhookHandler({ secret: sb.webhookSecret, client: handlerClient(), ...shop.callbacks }))
  // express.json({ verify }) keeping the bytes works.
  const kept = express.json({ verify: (req, res, buf) => (req.rawBody = buf) })
  const app2 = express()
  app2.post(SIGNED, kept, webhookHandler({ secret: sb.webhookSecret, client: handlerClient(), ...shop.callbacks }))
  const servers = [app.listen(0, '127.0.0.1'), app2.listen(0, '127.0.0.1')]
  await Promise.all(servers.map((s) => new Promise((resolve) => s.once('listening', resolve))))
  const original = console.error
  const logged = []
  console.error = (...args) => logged.push(args.join(' '))
  try {
    const body = webhookBody('TEST-2', 15023)
    const [status, text] = await post(
      `http://127.0.0.1:${servers[0].address().port}${SIGNED}`,
      body,
      signedHeaders(sb.webhookSecret, body),
    )
    assert.equal(status, 500)
    assert.match(text, /before app\.use\(express\.json\(\)\)/)
    assert.match(text, /express\.raw/)
    assert.match(logged.join('\n'), /raw request body is gone/)
    assert.deepEqual(shop.calls, [])
    assert.deepEqual(
      await post(`http://127.0.0.1:${servers[1].address().port}${SIGNED}`, body, signedHeaders(sb.webhookSecret, body)),
      [200, 'test webhook: nothing fulfilled'],
    )
  } finally {
    console.error = original
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  }
})

test('fastify: the plugin keeps its raw-body parser to its own route', async () => {
  const shop = makeShop()
  const { app, close } = await serveFastify(shop)
  try {
    const res = await app.inject({ method: 'POST', url: '/orders', payload: { amount: 1 } })
    assert.deepEqual(res.json(), { parsed: { amount: 1 } })
  } finally {
    await close()
  }
})

test('handler.fetch: a Fetch API Request, as a Next.js App Router route handler gets it', async () => {
  const shop = makeShop()
  const handler = new WebhookHandler({ secret: sb.webhookSecret, client: handlerClient(), ...shop.callbacks })
  const POST = (request) => handler.fetch(request) // app/webhooks/cashi/route.js
  const order = await newOrder(shop)
  await sb.pay(order.orderId)
  const body = webhookBody(order.orderId, order.amount)
  const request = (text, headers) =>
    new Request('https://shop.example/webhooks/cashi', { method: 'POST', body: text, headers })

  let response = await POST(request(body, signedHeaders(sb.webhookSecret, body)))
  assert.equal(response.status, 200)
  assert.equal(await response.text(), 'fulfilled')
  assert.match(response.headers.get('content-type'), /^text\/plain/)
  assert.deepEqual(shop.fulfilledIds(), [order.orderId])
  response = await POST(request(body, signedHeaders(sb.webhookSecret, body)))
  assert.deepEqual([response.status, await response.text()], [200, 'already fulfilled'])
  response = await POST(request(body, signedHeaders('sk_not_the_secret', body)))
  assert.equal(response.status, 400)
  const test = webhookBody('TEST-3', 15023)
  response = await POST(request(test, new Headers(signedHeaders(sb.webhookSecret, test))))
  assert.deepEqual([response.status, await response.text()], [200, 'test webhook: nothing fulfilled'])
  await assert.rejects(() => handler.fetch({}), /not a Fetch API Request/)
})

test("WebhookHandler: 'answer' after each delivery, with its level, order id, status and text", async () => {
  const shop = makeShop()
  const handler = new WebhookHandler({ secret: sb.webhookSecret, client: handlerClient(), ...shop.callbacks })
  const heard = []
  handler.on('answer', (answer) => heard.push(answer))
  const order = await newOrder(shop)
  await sb.pay(order.orderId)
  const body = webhookBody(order.orderId, order.amount)
  await handler.handle(body, signedHeaders(sb.webhookSecret, body))
  await handler.handle(body, signedHeaders('sk_not_the_secret', body))
  const unknown = webhookBody('NODE-NOT-OURS', 15023)
  await handler.handle(unknown, signedHeaders(sb.webhookSecret, unknown))
  assert.deepEqual(heard, [
    {
      level: 'info',
      type: 'webhook_answer',
      orderId: order.orderId,
      outcome: 'fulfilled',
      status: 200,
      text: 'fulfilled',
      isTest: false,
      isVerified: true,
    },
    {
      level: 'warning',
      type: 'webhook_answer',
      orderId: null,
      outcome: 'invalid_signature',
      status: 400,
      text: 'invalid signature',
      isTest: null,
      isVerified: null,
    },
    {
      level: 'warning',
      type: 'webhook_answer',
      orderId: 'NODE-NOT-OURS',
      outcome: 'unknown_order',
      status: 404,
      text: 'unknown order',
      isTest: false,
      isVerified: true,
    },
  ])
  assert.ok(!JSON.stringify(heard).includes(sb.webhookSecret))

  // A listener that throws changes no answer: its error goes to onError.
  handler.on('answer', () => {
    throw new Error('the log shipper is down')
  })
  const again = await handler.handle(unknown, signedHeaders(sb.webhookSecret, unknown))
  assert.deepEqual([again.status, again.text, again.outcome], [404, 'unknown order', 'unknown_order'])
  assert.deepEqual(shop.errors.at(-1), ["an 'answer' listener", 'Error: the log shipper is down'])
})

test('WebhookHandler: options are checked, and a signed request without a secret is refused', async () => {
  const shop = makeShop()
  assert.throws(() => new WebhookHandler({ client, ...shop.callbacks }), /allowUnsigned: true/)
  assert.throws(
    () => new WebhookHandler({ secret: 'sk_x', client, expectedAmount: () => 1 }),
    /onPaid: undefined is not a function/,
  )
  assert.throws(
    () => new WebhookHandler({ secret: 'sk_x', client, ...shop.callbacks, allowUnsinged: true }),
    /unknown option "allowUnsinged"/,
  )
  assert.throws(() => new WebhookHandler({ secret: 'sk_x', client: {}, ...shop.callbacks }), /not a Cashi client/)
  assert.throws(
    () => new WebhookHandler({ secret: '', client, ...shop.callbacks }),
    (e) => e.code === 'invalid_argument',
  )
  assert.ok(new WebhookHandler({ secret: new Webhook('sk_x'), client, ...shop.callbacks }))

  const unsignedOnly = new WebhookHandler({ client, allowUnsigned: true, ...shop.callbacks })
  assert.equal(unsignedOnly.allowUnsigned, true)
  const body = webhookBody('TEST-4', 100)
  assert.deepEqual(await unsignedOnly.handle(body, signedHeaders('sk_x', body)), {
    status: 400,
    text: 'signed, but no webhook secret is configured',
    outcome: 'no_secret',
    event: undefined,
  })
  assert.equal((await unsignedOnly.handle(body, JSON_TYPE)).status, 200)
  assert.equal((await unsignedOnly.handle(body, { HTTP_X_GATEWAY_SIGNATURE: '00' })).status, 400)

  // An expected amount that is not one: 500, reported, no confirm, no onPaid.
  const order = await newOrder(shop)
  const signed = webhookBody(order.orderId, order.amount)
  for (const wrong of ['15023', 15023.5, true]) {
    const handler = new WebhookHandler({ ...shop.callbacks, secret: 'sk_x', client, expectedAmount: () => wrong })
    const result = await handler.handle(signed, signedHeaders('sk_x', signed))
    assert.deepEqual([result.status, result.outcome], [500, 'handler_error'])
  }
  assert.equal(shop.errors.length, 3)
  assert.ok(!shop.calls.includes('onPaid'))
})

test('Webhook.parseUnverified: an unsigned body is an unverified event, which confirm takes only the order id from', async () => {
  const order = await client.createOrder({ amount: 15000, orderId: uniqueId('HINT') })
  await sb.pay(order.orderId)
  const unsigned = Webhook.parseUnverified(webhookBody(order.orderId, order.amount))
  assert.equal(unsigned.isVerified, false)
  assert.equal(unsigned.raw.data.amount, order.amount)
  const signed = new Webhook('sk_x').verify(
    webhookBody(order.orderId, order.amount),
    sign('sk_x', webhookBody(order.orderId, order.amount)),
  )
  assert.equal(signed.isVerified, true)
  await sb.fault({ kind: 'patch', path: 'check-status', remove: ['amount'], count: 1 })
  await assert.rejects(
    () => client.confirm(unsigned, { expectedAmount: order.amount }),
    (e) => {
      assert.equal(e.code, 'payment_mismatch')
      assert.match(e.message, /carried no amount/)
      return true
    },
  )
  await sb.fault({ kind: 'patch', path: 'check-status', remove: ['amount'], count: 1 })
  assert.equal((await client.confirm(signed, { expectedAmount: order.amount })).amountFromWebhook, true)
  assert.equal((await client.confirm(unsigned, { expectedAmount: order.amount })).isSettled, true)
  assert.throws(
    () => Webhook.parseUnverified('{"event":"X","data":{}}'),
    (e) => e.code === 'webhook_payload',
  )
  assert.throws(() => Webhook.parseUnverified({ event: 'X' }), /already-parsed object/)
})

// The shared cases (tests/vectors/webhook_handler.json), which the Python and PHP handlers
// answer too: one delivery each, its status, outcome and the callbacks called, in order.
const HANDLER_VECTORS = loadVectors('webhook_handler.json')
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

for (const c of HANDLER_VECTORS.cases) {
  test(`handler vector: ${c.name}`, async () => {
    let orderId = c.order
    let amount = 15023
    if (c.order === 'paid' || c.order === 'unpaid') {
      const order = await client.createOrder({ amount: 15000, orderId: uniqueId('HV') })
      if (c.order === 'paid') {
        await sb.pay(order.orderId)
      }
      ;({ orderId, amount } = order)
    }
    const body = (c.body ?? HANDLER_VECTORS.settled_body)
      .replaceAll('{order_id}', orderId)
      .replaceAll('{amount}', String(amount))
    const headers = {
      valid: signedHeaders('sk_vectors', body),
      wrong: { ...JSON_TYPE, 'x-gateway-signature': '0'.repeat(64) },
      none: JSON_TYPE,
    }[c.signature]
    const stored = c.stored === 'amount' ? amount : c.stored === 'other' ? amount + 1 : c.stored
    const confirmOn = {
      sandbox: handlerClient(),
      wrong_key: new Cashi({ apiKey: 'CASHI-WRONGKEY01', baseUrl: sb.baseUrl, maxRetries: 0 }),
      unreachable: new Cashi({ apiKey: sb.apiKey, baseUrl: 'http://127.0.0.1:9/api', maxRetries: 0 }),
    }[c.client]
    const calls = []
    const callback = (name, result) => async () => {
      calls.push(name)
      if (c.raises !== undefined && camel(c.raises) === name) {
        throw new Error(`${name} failed`)
      }
      return result
    }
    const handler = new WebhookHandler({
      secret: 'sk_vectors',
      client: confirmOn,
      allowUnsigned: c.allow_unsigned === true,
      alreadyFulfilled: callback('alreadyFulfilled', c.already_fulfilled === true),
      expectedAmount: callback('expectedAmount', stored),
      onPaid: callback('onPaid'),
      onMismatch: callback('onMismatch'),
      onError: () => {},
    })
    const answer = await handler.handle(body, headers)
    assert.deepEqual([answer.status, answer.outcome], [c.status, c.outcome])
    assert.deepEqual(calls, c.calls.map(camel))
  })
}
