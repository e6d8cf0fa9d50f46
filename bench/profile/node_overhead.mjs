// Where a Node SDK call's time goes (bench/FINDINGS.md §6, §8): the package's createOrder /
// checkStatus / Webhook.verify against the native calls under them, the JavaScript-side
// work alone (building an Order from the fields the native call resolves with, reading
// order.raw) and undici doing the same request.
//   BENCH_CASHI_NODE=bench/.work/node-sdk/cashi BENCH_BASE_URL=http://127.0.0.1:PORT/api \
//     node bench/profile/node_overhead.mjs
import { createRequire } from 'node:module'
import crypto from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
const dir = process.env.BENCH_CASHI_NODE ?? path.join(HERE, '..', '.work', 'node-sdk', 'cashi')
const { Cashi, Webhook, Order } = require(dir)
const native = require(path.join(dir, 'native.js'))
const { request } = require(path.join(HERE, '..', 'node', 'node_modules', 'undici'))
const BASE = process.env.BENCH_BASE_URL ?? 'http://127.0.0.1:8080/api'
const KEY = process.env.BENCH_API_KEY ?? 'CASHI-SANDBOX01'
const SECONDS = Number(process.env.BENCH_SECONDS ?? '1')

async function medianUs(fn) {
  for (let i = 0; i < 200; i++) await fn()
  const t = []
  const until = performance.now() + SECONDS * 1000
  while (performance.now() < until) {
    const s = performance.now()
    await fn()
    t.push(performance.now() - s)
  }
  t.sort((a, b) => a - b)
  return Math.round(t[t.length >> 1] * 1000 * 100) / 100
}

let n = 0
const next = () => ({ amount: 10000 + 100 * (n % 90000), orderId: `P-${process.pid}-${n++}` })
const sdk = new Cashi({ apiKey: KEY, baseUrl: BASE })
const raw = new native.NativeClient(KEY, BASE, undefined, undefined)
// What createOrder resolves with: the order's fields by name and `rawJson` (Cashi's answer as
// it came), turned into an Order by index.js.
const fields = await raw.createOrder(15000, `P-${process.pid}-x`, undefined)
const H = { 'x-api-key': KEY, accept: 'application/json', 'content-type': 'application/json' }
const body = Buffer.from(
  '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-20261125-0042","status":"SETTLED","amount":15023,"payment_method":"QRIS","paid_at":"2026-11-25 15:04:05","transaction_id":"31277571482"}}',
)
const secret = 'sk_5a4db0c5e0f1a2b3c4d5e6f708192a3b'
const sig = crypto.createHmac('sha256', secret).update(body).digest('hex')
const w = new Webhook(secret)
const nw = native.webhookNew([Buffer.from(secret)])
const { initWebhookEvent } = require(path.join(dir, 'records.js'))
const text = JSON.stringify(new Order(fields).raw) // the whole answer, QR data URI included
const out = {
  'package createOrder': await medianUs(() => sdk.createOrder(next())),
  'native createOrder (resolves with the fields)': await medianUs(() => {
    const o = next()
    return raw.createOrder(o.amount, o.orderId, undefined)
  }),
  'new Order(fields) alone': await medianUs(() => new Order(fields)),
  'new Order(fields) and its first order.raw read': await medianUs(() => new Order(fields).raw),
  [`JSON.parse of the answer (${text.length} bytes)`]: await medianUs(() => JSON.parse(text)),
  'undici.request create + body.json()': await medianUs(async () => {
    const o = next()
    const r = await request(`${BASE}/create-order`, {
      method: 'POST',
      headers: H,
      body: JSON.stringify({ amount: o.amount, order_id: o.orderId }),
    })
    return (await r.body.json()).orderId
  }),
  'package checkStatus': await medianUs(() => sdk.checkStatus('INV-1')),
  'native checkStatus (resolves with the fields)': await medianUs(() => raw.checkStatus('INV-1')),
  'undici.request status + body.json()': await medianUs(
    async () => (await (await request(`${BASE}/check-status/INV-1`, { headers: H })).body.json()).status,
  ),
  // What each call pays to find whether anyone listens to the client's events.
  'listenerCount of request, response and retry (before each call)': await medianUs(() =>
    ['request', 'response', 'retry'].some((name) => sdk.listenerCount(name) > 0),
  ),
  'package Webhook.verify': await medianUs(() => w.verify(body, sig)),
  'native webhookVerify (fills an event made in JS)': await medianUs(() => {
    const event = {}
    initWebhookEvent(event)
    native.webhookVerify(nw, body, sig, event)
    return event
  }),
  'crypto hmac + timingSafeEqual + JSON.parse': await medianUs(() => {
    const e = Buffer.from(crypto.createHmac('sha256', secret).update(body).digest('hex'))
    crypto.timingSafeEqual(e, Buffer.from(sig))
    return JSON.parse(body)
  }),
}
console.log(JSON.stringify(out, null, 1))
process.exit(0)
