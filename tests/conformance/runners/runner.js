'use strict'

// The Node runner of the cross-language conformance suite (tests/conformance/run.py):
// one JSON request per line in, one normalized JSON outcome per line out, every call
// through the public API of the `cashi` package (resolved by its own name).
//
//   python3 tests/conformance/run.py --runner node="node tests/conformance/runners/runner.js" (from a project where cashi is installed)
//
// Requests are handled one at a time, in order.

const readline = require('node:readline')
const { Cashi, CashiError, Webhook } = require('cashi')

// {"$float": x} is a JS number (NaN and Infinity included); the rest as JSON gives it.
function native(value) {
  if (value !== null && typeof value === 'object' && '$float' in value) {
    return Number(value.$float)
  }
  return value
}

function body(call) {
  if (typeof call.body === 'string') return Buffer.from(call.body, 'utf8')
  if (typeof call.body_base64 === 'string') return Buffer.from(call.body_base64, 'base64')
  const p = call.body_pattern
  return Buffer.from(p.prefix + p.repeat.repeat(p.times) + p.suffix, 'utf8')
}

function client(spec) {
  return new Cashi({
    apiKey: spec.api_key ?? undefined,
    baseUrl: spec.base_url ?? undefined,
    timeoutMs: spec.timeout_ms ?? undefined,
    maxRetries: spec.max_retries ?? undefined,
  })
}

// A Date as RFC 3339 at Jakarta's +07:00, as the core prints it.
function jakarta(date) {
  if (date === null) return null
  const local = new Date(date.getTime() + 7 * 3600 * 1000).toISOString() // ...Z, shifted
  return local.replace(/\.000Z$/, 'Z').replace(/Z$/, '+07:00')
}

function statusValue(s) {
  return {
    order_id: s.orderId,
    status: s.status,
    amount: s.amount,
    is_settled: s.isSettled,
    has_provider_tx_id: s.providerTxId !== null,
    provider_tx_id: s.providerTxId,
    amount_from_webhook: s.amountFromWebhook,
  }
}

function orderRequest(call) {
  return {
    amount: native(call.amount),
    orderId: call.order_id ?? undefined,
    channel: call.channel ?? undefined,
    extra: call.extra,
  }
}

function orderValue(o) {
  let hasQr
  try {
    hasQr = o.qrPng().subarray(0, 4).toString('latin1') === '\x89PNG'
  } catch (e) {
    if (!(e instanceof CashiError)) throw e
    hasQr = false
  }
  return {
    order_id: o.orderId,
    amount: o.amount,
    requested_amount: o.requestedAmount,
    unique_code: o.uniqueCode,
    has_qr: hasQr,
    has_checkout_url: o.checkoutUrl !== null,
    has_expires_at: o.expiresAt !== null,
    expires_at: jakarta(o.expiresAt),
    provider: o.provider,
    checkout_url: o.checkoutUrl,
    fee: o.fee,
    expected_net: o.expectedNet,
  }
}

function failure(e) {
  return { ok: false, error: e.code, http_status: e.status ?? null, message: e.message }
}

/** A batch's answer: each item's outcome, as a single call's, in the items' order. */
function items(settled, value) {
  return {
    items: settled.map((r) => (r.status === 'fulfilled' ? { ok: true, value: value(r.value) } : failure(r.reason))),
  }
}

async function run(request) {
  const call = request.call
  switch (call.op) {
    case 'webhook_verify': {
      const e = new Webhook(call.secrets).verify(body(call), call.signature)
      return {
        event: e.event,
        order_id: e.orderId,
        status: e.status,
        amount: e.amount,
        is_test: e.isTest,
        is_settled: e.isSettled,
        payment_method: e.paymentMethod,
        paid_at: e.paidAt,
        transaction_id: e.transactionId,
      }
    }
    case 'create_order':
      return orderValue(await client(request.client).createOrder(orderRequest(call)))
    case 'create_orders':
      return items(await client(request.client).createOrders(call.requests.map(orderRequest)), orderValue)
    case 'check_statuses':
      return items(await client(request.client).checkStatuses(call.order_ids), statusValue)
    case 'check_status':
      return statusValue(await client(request.client).checkStatus(call.order_id))
    case 'wait_for_payment':
      return statusValue(await client(request.client).waitForPayment(call.order_id, { timeoutMs: call.timeout_ms }))
    case 'confirm': {
      // With `event`: confirmed with the verified webhook event itself, not its order id.
      const target = call.event
        ? new Webhook(call.event.secrets).verify(body(call.event), call.event.signature)
        : call.order_id
      return statusValue(await client(request.client).confirm(target, { expectedAmount: native(call.expected_amount) }))
    }
    default:
      throw new Error(`unknown op ${call.op}`)
  }
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  for await (const line of lines) {
    let answer
    try {
      answer = { ok: true, value: await run(JSON.parse(line)) }
    } catch (e) {
      answer =
        e instanceof CashiError
          ? failure(e)
          : { ok: false, error: `node:${e && e.name}`, http_status: null, message: String(e && e.message) }
    }
    process.stdout.write(JSON.stringify(answer) + '\n')
  }
}

main()
