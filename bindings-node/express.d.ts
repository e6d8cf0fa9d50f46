import type { NextFunction, Request, Response } from 'express'
import { WebhookHandler, WebhookHandlerOptions } from './handler'

export { WebhookHandler, WebhookHandlerOptions }

/**
 * An Express handler for Cashi's webhook: `app.post('/webhooks/cashi', webhookHandler({ ... }))`.
 * Works with express.raw(), express.text(), `req.rawBody` kept by express.json({ verify }), or no
 * body parser at all (it reads the stream). When express.json() consumed the body and kept no raw
 * bytes, it answers 500 saying to mount the route before express.json() or use express.raw().
 */
export declare function webhookHandler(
  handler: WebhookHandler | WebhookHandlerOptions,
): (req: Request, res: Response, next: NextFunction) => Promise<void>
