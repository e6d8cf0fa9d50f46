// @ts-check
'use strict'

// An Express shop that takes Cashi payments:
//
//   POST /orders           creates a Cashi order and stores the amount to pay
//   GET  /orders/:id       shows where an order stands
//   POST /webhooks/cashi   Cashi's webhook: raw body, signature, test webhooks answered
//                          200, fulfilment only after `confirm` with the stored amount,
//                          and only once per order id: Cashi may deliver a webhook more
//                          than once, and a captured one can be replayed forever (its
//                          signature has no timestamp) while `confirm` still passes
//
// Run it:  CASHI_API_KEY=... CASHI_WEBHOOK_SECRET=sk_... node express-webhook.js
// (CASHI_BASE_URL=http://127.0.0.1:PORT/api points it at a local cashi-sandbox.)

const express = require('express')
const {
  Cashi,
  Webhook,
  CashiError,
  InvalidRequestError,
  PaymentMismatchError,
  SignatureVerificationError,
  WebhookPayloadError,
} = require('cashi')

/**
 * @typedef {object} StoredOrder
 * @property {number} amount  the amount to pay, as Cashi answered at create-order time
 * @property {'awaiting_payment' | 'confirming' | 'fulfilled' | 'needs_review'} state
 * @property {string} [problem]
 */

/**
 * @param {{ cashi: Cashi, webhook: Webhook, orders?: Map<string, StoredOrder>, log?: (line: string) => void }} deps
 */
function createApp({ cashi, webhook, orders = new Map(), log = console.log }) {
  const app = express()

  app.post('/orders', express.json(), async (req, res) => {
    try {
      const order = await cashi.createOrder({ amount: req.body.amount, orderId: req.body.orderId })
      // Store the amount to pay (requested amount + unique code): the webhook must match it.
      orders.set(order.orderId, { amount: order.amount, state: 'awaiting_payment' })
      res.status(201).json({
        orderId: order.orderId,
        amount: order.amount,
        checkoutUrl: order.checkoutUrl,
        expiresAt: order.expiresAt,
      })
    } catch (e) {
      if (e instanceof InvalidRequestError) {
        res.status(400).json({ error: e.message })
        return
      }
      throw e // Express 5 turns a rejected handler into a 500
    }
  })

  app.get('/orders/:id', (req, res) => {
    const order = orders.get(req.params.id)
    if (order) {
      res.json(order)
    } else {
      res.sendStatus(404)
    }
  })

  // The raw body: the signature covers the exact bytes Cashi sent, not re-encoded JSON.
  app.post('/webhooks/cashi', express.raw({ type: 'application/json' }), async (req, res) => {
    let event
    try {
      event = webhook.verifyHeaders(req.body, req.headers)
    } catch (e) {
      if (e instanceof SignatureVerificationError) {
        log(`webhook refused: ${e.message}`)
        res.status(401).json({ error: e.code })
        return
      }
      if (e instanceof WebhookPayloadError) {
        res.status(400).json({ error: e.code })
        return
      }
      throw e
    }

    if (event.isTest) {
      // The dashboard's "Test Webhook" button: acknowledge, fulfil nothing.
      log(`test webhook for ${event.orderId} received`)
      res.json({ received: true, test: true })
      return
    }
    const stored = orders.get(event.orderId)
    if (!stored || !event.isSettled) {
      res.json({ received: true }) // not ours, or not a payment: nothing to do, stop the retries
      return
    }
    // Once per order id: checked and marked before the first await, so a repeat (a retry, a
    // replay) arriving meanwhile is acknowledged and nothing more. In a database: a unique
    // key on the order id, or a conditional update, in the fulfilment's transaction.
    if (stored.state !== 'awaiting_payment') {
      res.json({ received: true, duplicate: true })
      return
    }

    stored.state = 'confirming'
    try {
      // Never trust the webhook alone: re-read the payment from Cashi, with the stored amount.
      // The event itself, not its id: if Cashi's answer lacks the amount, its signed amount counts.
      await cashi.confirm(event, { expectedAmount: stored.amount })
    } catch (e) {
      if (e instanceof PaymentMismatchError) {
        stored.state = 'needs_review'
        stored.problem = e.message
        log(`order ${event.orderId} NOT fulfilled: ${e.message}`)
        res.json({ received: true, fulfilled: false })
        return
      }
      // Cashi could not be asked (timeout, 5xx...): answer non-200 so the webhook comes again.
      stored.state = 'awaiting_payment'
      res.status(503).json({ error: e instanceof CashiError ? e.code : 'internal' })
      return
    }
    stored.state = 'fulfilled' // ship the goods here
    log(`order ${event.orderId} paid (${stored.amount} rupiah) and fulfilled`)
    res.json({ received: true, fulfilled: true })
  })

  return app
}

module.exports = { createApp }

if (require.main === module) {
  const secret = process.env.CASHI_WEBHOOK_SECRET
  if (!secret) {
    console.error('set CASHI_WEBHOOK_SECRET (Settings → Webhook in the Cashi dashboard)')
    process.exit(2)
  }
  const app = createApp({ cashi: new Cashi(), webhook: new Webhook(secret) })
  const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
    const address = server.address()
    const port = address && typeof address === 'object' ? address.port : process.env.PORT
    console.log(`listening on http://127.0.0.1:${port}`)
  })
}
