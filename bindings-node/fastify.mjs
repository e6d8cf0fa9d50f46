// ESM entry of cashi/fastify: the same plugin as require('cashi/fastify').
import cashiWebhook from './fastify.js'

export const { WebhookHandler } = cashiWebhook
export { cashiWebhook }

export default cashiWebhook
