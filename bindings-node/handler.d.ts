import { EventEmitter } from 'node:events'

import type { WebhookOutcome } from './answers'
import type { Cashi, PaymentMismatchError, RawBody, Webhook, WebhookEvent, WebhookHeaders } from './index'

export type { WebhookOutcome }

/** May be returned as is or as a Promise. */
type MaybePromise<T> = T | Promise<T>

export interface WebhookHandlerOptions {
  /** Your webhook secret (`sk_...`), several during a rotation, or a `Webhook`. Optional only with `allowUnsigned`. */
  secret?: string | Uint8Array | ReadonlyArray<string | Uint8Array> | Webhook
  /** The client `confirm` runs on; by default `new Cashi()` (CASHI_API_KEY). */
  client?: Cashi
  /** The amount to pay stored at create-order time (`order.amount`); null or undefined for an order this shop does not know (404). */
  expectedAmount: (orderId: string) => MaybePromise<number | null | undefined>
  /**
   * Fulfil the order: called only after `confirm` read it from Cashi as SETTLED with exactly the
   * stored amount (`amount`). Make it fulfil once per order id (a unique key in its transaction):
   * two deliveries of one webhook can arrive at the same moment. What it throws answers 500 (Cashi retries).
   */
  onPaid: (orderId: string, amount: number, event: WebhookEvent) => MaybePromise<unknown>
  /** Whether `onPaid` already ran for this order: a repeat is answered 200 before Cashi is asked again. */
  alreadyFulfilled?: (orderId: string) => MaybePromise<boolean>
  /** `confirm` refused the payment (not settled yet, another amount): flag it for review. Answered 409. */
  onMismatch?: (orderId: string, error: PaymentMismatchError, event: WebhookEvent) => MaybePromise<unknown>
  /** Where a failing callback's error goes (the answer is then 500); by default one line on stderr. */
  onError?: (error: unknown, context: { step: string; orderId?: string }) => void
  /**
   * Read a request without an `x-gateway-signature` header as a hint (`Webhook.parseUnverified`),
   * which `confirm` against the stored amount decides; a request with the header is still verified,
   * and a wrong signature refused with 400. For accounts whose webhooks are not signed.
   */
  allowUnsigned?: boolean
}

/** What to answer Cashi: an HTTP status and a short plain text (no secrets, no details). */
export interface WebhookHandlerResult {
  status: number
  text: string
  /** The outcome's stable name (`fulfilled`, `already_fulfilled`, `invalid_signature`, ...): what to count or branch on, rather than the text. */
  outcome: WebhookOutcome
  /** The event read from the body, when it could be read. */
  event?: WebhookEvent
}

/** What a handler answered one delivery (its `'answer'` event; never a secret or a body). */
export interface WebhookAnswerEvent {
  type: 'webhook_answer'
  /** `info` for a 200, `warning` for a 400, 404, 409 or 503, `error` for a 500. */
  level: 'info' | 'warning' | 'error'
  /** The event's order id, or null when the body could not be read. */
  orderId: string | null
  outcome: WebhookOutcome
  status: number
  text: string
  isTest: boolean | null
  isVerified: boolean | null
}

/**
 * Cashi's webhook, handled: verified, answered, confirmed, fulfilled once. 400 bad signature or
 * payload; 200 test webhook, not a settlement, already fulfilled, fulfilled; 404 unknown order;
 * 409 payment refused by `confirm`; 503 Cashi unreachable; 500 a callback threw. Any answer but
 * 200 makes Cashi deliver again.
 */
export declare class WebhookHandler extends EventEmitter {
  constructor(options: WebhookHandlerOptions)
  /** `'answer'` after each delivery handled, with what Cashi is told. */
  on(event: 'answer', listener: (answer: WebhookAnswerEvent) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
  once(event: 'answer', listener: (answer: WebhookAnswerEvent) => void): this
  once(event: string | symbol, listener: (...args: any[]) => void): this
  off(event: 'answer', listener: (answer: WebhookAnswerEvent) => void): this
  off(event: string | symbol, listener: (...args: any[]) => void): this
  readonly allowUnsigned: boolean
  /** Handles one delivery, given the raw body exactly as received and the request headers. */
  handle(rawBody: RawBody, headers: WebhookHeaders | Headers): Promise<WebhookHandlerResult>
  /** For a Fetch API Request (Next.js App Router, Hono, Bun, Deno): the Response to send. */
  fetch(request: Request): Promise<Response>
}
