'use strict'

// Runs in a worker thread (concurrency.test.js): its own client, its own calls.

const { parentPort, workerData } = require('node:worker_threads')
const { Cashi, CashiError, Webhook, sign } = require('cashi')

async function main() {
  const { baseUrl, apiKey, secret, prefix, count, firstAmount } = workerData
  const cashi = new Cashi({ apiKey, baseUrl })
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`)
  const orders = await Promise.all(
    ids.map((orderId, i) => cashi.createOrder({ amount: firstAmount + i * 100, orderId })),
  )
  const statuses = await Promise.all(orders.map((o) => cashi.checkStatus(o)))
  let notFoundCode
  let notFoundIsCashiError
  try {
    await cashi.checkStatus(`${prefix}-missing`)
  } catch (e) {
    notFoundCode = e.code
    notFoundIsCashiError = e instanceof CashiError
  }
  const body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-9921","status":"SETTLED","amount":15023}}'
  const event = new Webhook(secret).verify(body, sign(secret, body))
  return {
    created: orders.map((o) => o.orderId),
    statuses: statuses.map((s) => s.status),
    notFoundCode,
    notFoundIsCashiError,
    webhookAmount: event.amount,
  }
}

main().then(
  (result) => parentPort.postMessage(result),
  (e) => parentPort.postMessage({ error: String(e && e.stack) }),
)
