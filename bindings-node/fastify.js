'use strict'

// Cashi's webhook as a Fastify plugin:
//
//   app.register(require('cashi/fastify'), { path: '/webhooks/cashi', secret, client, expectedAmount, onPaid })
//
// Registered as an ordinary (encapsulated) plugin, it replaces the body parsers of its own
// scope only, with one that keeps the raw bytes for every content type: the signature covers
// the exact bytes Cashi sent. The rest of the application keeps its JSON parsing.

const { WebhookHandler } = require('./handler.js')

const MAX_BODY_BYTES = 1024 * 1024 // the core refuses larger webhooks unread
const HANDLER_OPTIONS = [
  'secret',
  'client',
  'expectedAmount',
  'onPaid',
  'alreadyFulfilled',
  'onMismatch',
  'onError',
  'allowUnsigned',
]

async function cashiWebhook(fastify, options) {
  // Fastify hands its own register options (prefix, logLevel, ...) to the plugin as well:
  // only the handler's are taken.
  const { path = '/webhooks/cashi', handler: given } = options ?? {}
  const handler =
    given instanceof WebhookHandler
      ? given
      : new WebhookHandler(
          Object.fromEntries(HANDLER_OPTIONS.filter((k) => options?.[k] !== undefined).map((k) => [k, options[k]])),
        )
  fastify.removeAllContentTypeParsers()
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (request, body, done) =>
    done(null, body),
  )
  fastify.post(path, async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
    const result = await handler.handle(body, request.headers)
    reply.code(result.status).type('text/plain; charset=utf-8')
    return result.text
  })
}

module.exports = cashiWebhook
module.exports.default = cashiWebhook
module.exports.cashiWebhook = cashiWebhook
module.exports.WebhookHandler = WebhookHandler
