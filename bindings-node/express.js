'use strict'

// Cashi's webhook in Express: `app.post('/webhooks/cashi', webhookHandler({ ... }))`.
//
// The signature covers the raw bytes Cashi sent, so the handler needs them, whatever ran
// before it: a Buffer from express.raw(), a string from express.text(), `req.rawBody` kept by
// express.json({ verify }), or else the request stream, which it reads itself when no body
// parser consumed it. When a parser consumed the stream and kept no raw bytes, the bytes are
// gone: it answers 500 saying where to mount it (a re-encoded body is never verified), so
// Cashi retries once that is fixed.

const { WebhookHandler } = require('./handler.js')

const MAX_BODY_BYTES = 1024 * 1024 // the core refuses larger webhooks unread
const RAW_BODY_GONE =
  'cashi/express: the raw request body is gone: a body parser (express.json()?) read it and kept no raw bytes, and the ' +
  'signature covers the exact bytes Cashi sent. Mount the webhook route before app.use(express.json()), or give it ' +
  "express.raw({ type: 'application/json' }), or keep the bytes with express.json({ verify: (req, res, buf) => { req.rawBody = buf } })."

function webhookHandler(handlerOrOptions) {
  const handler = handlerOrOptions instanceof WebhookHandler ? handlerOrOptions : new WebhookHandler(handlerOrOptions)
  return async function cashiWebhook(req, res, next) {
    try {
      const body = await rawBody(req)
      if (body === GONE) {
        console.error(RAW_BODY_GONE)
        res.status(500).type('text/plain').send(RAW_BODY_GONE)
        return
      }
      if (body === TOO_LARGE) {
        res.status(400).type('text/plain').send('invalid payload')
        return
      }
      const result = await handler.handle(body, req.headers)
      res.status(result.status).type('text/plain').send(result.text)
    } catch (e) {
      next(e)
    }
  }
}

const GONE = Symbol('gone')
const TOO_LARGE = Symbol('too large')

async function rawBody(req) {
  if (Buffer.isBuffer(req.body)) {
    return req.body // express.raw()
  }
  if (typeof req.body === 'string') {
    return req.body // express.text(): UTF-8, as Cashi's JSON is
  }
  if (Buffer.isBuffer(req.rawBody)) {
    return req.rawBody // express.json({ verify }) kept the bytes
  }
  // body-parser marks a request whose stream it read with `_body`.
  if (req._body === true || req.readableEnded) {
    return GONE
  }
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) {
      return TOO_LARGE
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

module.exports = { webhookHandler, WebhookHandler }
