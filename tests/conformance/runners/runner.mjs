// The Node runner of the conformance suite (see ../run.py): one JSON request per line in,
// one normalized JSON outcome per line out, every call through the installed `cashi` package.
// Run from a project where `cashi` is installed (NODE_PATH or a node_modules above).
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'

const require = createRequire(process.env.CASHI_NODE_PROJECT ? `${process.env.CASHI_NODE_PROJECT}/` : import.meta.url)
const { Cashi, Webhook, CashiError } = require('cashi')

// {"$float": x} is a JS number (NaN, Infinity included); big integers arrive as numbers anyway.
const native = (v) => (v && typeof v === 'object' && '$float' in v ? Number(v.$float) : v)

function body(call) {
  if ('body' in call) return Buffer.from(call.body, 'utf8')
  if ('body_base64' in call) return Buffer.from(call.body_base64, 'base64')
  const p = call.body_pattern
  return Buffer.from(p.prefix + p.repeat.repeat(p.times) + p.suffix, 'utf8')
}

// A Date shown at Jakarta's +07:00, as the other languages print it.
function jakarta(date) {
  if (!date) return null
  const local = new Date(date.getTime() + 7 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, '')
  return `${local}+07:00`
}

const statusValue = (s) => ({
  order_id: s.orderId, status: s.status, amount: s.amount, is_settled: s.isSettled,
  has_provider_tx_id: s.providerTxId !== null && s.providerTxId !== undefined,
})

function client(spec) {
  const options = { baseUrl: spec.base_url, timeoutMs: spec.timeout_ms, maxRetries: spec.max_retries }
  if (spec.api_key !== null && spec.api_key !== undefined) options.apiKey = spec.api_key
  return new Cashi(options)
}

async function run({ client: spec, call }) {
  if (call.op === 'webhook_verify') {
    const e = new Webhook(call.secrets).verify(body(call), call.signature)
    return {
      event: e.event, order_id: e.orderId, status: e.status, amount: e.amount, is_test: e.isTest,
      is_settled: e.isSettled, payment_method: e.paymentMethod, paid_at: e.paidAt, transaction_id: e.transactionId,
    }
  }
  const c = client(spec)
  switch (call.op) {
    case 'create_order': {
      const request = { amount: native(call.amount) }
      if (call.order_id !== undefined) request.orderId = call.order_id
      if (call.channel !== undefined) request.channel = call.channel
      const o = await c.createOrder(request)
      let hasQr = false
      try { hasQr = o.qrPng().subarray(0, 4).toString('latin1') === '\x89PNG' } catch (e) { if (!(e instanceof CashiError)) throw e }
      return {
        order_id: o.orderId, amount: o.amount, requested_amount: o.requestedAmount, unique_code: o.uniqueCode,
        has_qr: hasQr, has_checkout_url: o.checkoutUrl !== null, has_expires_at: o.expiresAt !== null,
        expires_at: jakarta(o.expiresAt), provider: o.provider,
      }
    }
    case 'check_status': return statusValue(await c.checkStatus(call.order_id))
    case 'wait_for_payment': return statusValue(await c.waitForPayment(call.order_id, { timeoutMs: call.timeout_ms }))
    case 'confirm': return statusValue(await c.confirm(call.order_id, { expectedAmount: native(call.expected_amount) }))
    default: throw new Error(`unknown op ${call.op}`)
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  let answer
  try {
    answer = { ok: true, value: await run(JSON.parse(line)) }
  } catch (e) {
    answer = e instanceof CashiError
      ? { ok: false, error: e.code, http_status: e.status ?? null, message: e.message }
      : { ok: false, error: `node:${e?.name}`, http_status: null, message: String(e?.message ?? e) }
  }
  process.stdout.write(JSON.stringify(answer) + '\n')
}
