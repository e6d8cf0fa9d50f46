// ESM entry of cashi/express: the same module instance as require('cashi/express').
import express from './express.js'

export const { webhookHandler, WebhookHandler } = express

export default express
