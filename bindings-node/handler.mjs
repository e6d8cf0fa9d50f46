// ESM entry of cashi/handler: the same module instance as require('cashi/handler').
import handler from './handler.js'

export const { WebhookHandler } = handler

export default handler
