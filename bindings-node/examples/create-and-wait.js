// @ts-check
'use strict'

// Create an order, show how to pay it, and wait until it is paid or expires: for a bot or
// a script without a webhook endpoint.
//
//   CASHI_API_KEY=... node create-and-wait.js 15000 INV-9921
//
// Exit code 0 when paid (and confirmed), 2 when it expired or the wait ran out, 1 on errors.

const fs = require('node:fs')
const { Cashi, CashiError, APITimeoutError } = require('cashi')

async function main() {
  const amount = Number(process.argv[2] ?? 15000)
  const orderId = process.argv[3]
  const cashi = new Cashi() // CASHI_API_KEY, and CASHI_BASE_URL for a sandbox

  const order = await cashi.createOrder({ amount, orderId })
  console.log(
    `order ${order.orderId}: pay ${order.amount} rupiah (${order.requestedAmount} + unique code ${order.uniqueCode})`,
  )
  console.log(
    `checkout: ${order.checkoutUrl ?? '(none)'}; expires ${order.expiresAt ? order.expiresAt.toISOString() : 'unknown'}`,
  )
  if (process.env.QR_PNG) {
    fs.writeFileSync(process.env.QR_PNG, order.qrPng())
    console.log(`QR code written to ${process.env.QR_PNG}`)
  }

  try {
    const status = await cashi.waitForPayment(order, {
      timeoutMs: Number(process.env.WAIT_MS ?? 600000),
      onProgress: (p) => console.log(`waiting: ${p.lastStatus}, ${Math.round(p.remainingMs / 1000)} s left`),
    })
    if (!status.isSettled) {
      console.log(`${status.status}: not paid`)
      return 2
    }
    await cashi.confirm(order) // SETTLED with exactly order.amount, or a payment_mismatch
    console.log(`SETTLED: ${status.amount} rupiah, transaction ${status.providerTxId}`)
    return 0
  } catch (e) {
    if (e instanceof APITimeoutError) {
      console.log(`still not paid: ${e.message}`)
      return 2
    }
    throw e
  }
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (e) => {
    console.error(e instanceof CashiError ? `error ${e.code}: ${e.message}` : e)
    process.exitCode = 1
  },
)
