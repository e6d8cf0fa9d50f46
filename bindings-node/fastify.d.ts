import type { FastifyPluginAsync } from 'fastify'
import { WebhookHandler, WebhookHandlerOptions } from './handler'

export { WebhookHandler, WebhookHandlerOptions }

/** Where the route is, and the WebhookHandler to use or its options. */
export type CashiWebhookPluginOptions = {
  /** Where the route is (POST). Default `/webhooks/cashi`. */
  path?: string
} & ({ handler: WebhookHandler } | (WebhookHandlerOptions & { handler?: undefined }))

/**
 * A Fastify plugin serving Cashi's webhook: `app.register(cashiWebhook, { path, secret, client, expectedAmount, onPaid })`.
 * Encapsulated: its raw-body parser applies to its own route only.
 */
declare const cashiWebhook: FastifyPluginAsync<CashiWebhookPluginOptions>
export default cashiWebhook
export { cashiWebhook }
