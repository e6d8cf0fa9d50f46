// Compiled with `tsc --strict` against the shipped declarations (the tests do it): the
// whole public API as a TypeScript user writes it, and the mistakes the types must catch.

import {
  Cashi,
  CashiError,
  APIError,
  APIConnectionError,
  APITimeoutError,
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PaymentMismatchError,
  RateLimitError,
  SignatureVerificationError,
  WebhookPayloadError,
  Webhook,
  sign,
  ERROR_CODES,
  SIGNATURE_HEADER,
} from 'cashi'
import type {
  AttemptEvent,
  BatchResult,
  CallEvent,
  ErrorCode,
  Order,
  PaymentStatus,
  VerificationEvent,
  WebhookEvent,
  CashiOptions,
  VirtualAccount,
  RetailCode,
} from 'cashi'
import type { IncomingHttpHeaders } from 'node:http'
import { WebhookHandler } from 'cashi/handler'
import type { WebhookHandlerOptions, WebhookHandlerResult } from 'cashi/handler'
import { webhookHandler } from 'cashi/express'
import cashiWebhook from 'cashi/fastify'
import express from 'express'
import Fastify from 'fastify'

export async function checkout(options: CashiOptions): Promise<number> {
  const cashi = new Cashi(options)
  const order: Order = await cashi.createOrder({ amount: 15000, orderId: 'INV-9921', channel: undefined })
  const pay: number = order.amount
  const requested: number = order.requestedAmount + order.uniqueCode
  const expires: Date | null = order.expiresAt
  const url: string | null = order.checkoutUrl ?? order.qrUrl
  const png: Buffer = order.qrPng()
  const va: string | undefined = order.virtualAccount?.vaNumber
  const account: VirtualAccount | null = order.virtualAccount
  const bank: string | null | undefined = account?.bankName
  const retail: RetailCode | null = order.retail
  const code: string | undefined = retail?.paymentCode
  const raw: unknown = order.raw['success']
  void [requested, expires, url, png, va, bank, code, raw, order.provider, order.fee, order.expectedNet]

  await cashi.createOrder({ amount: 50000n, channel: 'BCA' })
  await cashi.createOrder({ amount: 50000, channel: 'SOME_NEW_CHANNEL' })

  const status: PaymentStatus = await cashi.checkStatus('INV-9921')
  const text: 'PENDING' | 'SETTLED' | 'EXPIRED' | string = status.status
  const paid: number | null = status.amount
  const tx: string | null = status.providerTxId
  const done: boolean = status.isFinal || status.isPending || status.isExpired || status.isSettled
  void [text, paid, tx, done, status.amountFromWebhook, status.raw]

  // Batches: one item per input, in order, shaped as Promise.allSettled's.
  const statuses: Array<BatchResult<PaymentStatus>> = await cashi.checkStatuses(['INV-1', order, status])
  for (const item of statuses) {
    if (item.status === 'fulfilled') {
      const settled: boolean = item.value.isSettled
      void settled
    } else {
      const failed: ErrorCode = item.reason.code
      void failed
    }
  }
  const created: Array<BatchResult<Order>> = await cashi.createOrders([
    { amount: 15000 },
    { amount: 20000n, channel: 'BCA' },
  ])
  const settledLike: PromiseSettledResult<Order>[] = created
  void settledLike

  const final = await cashi.waitForPayment(order, { timeoutMs: 600000 })
  await cashi.waitForPayment('INV-9921', { signal: AbortSignal.timeout(1000) })
  await cashi.confirm('INV-9921', { expectedAmount: pay })
  await cashi.confirm(order)
  await cashi.confirm(final, { expectedAmount: 15023n })
  return pay
}

export function onWebhook(rawBody: Buffer, headers: IncomingHttpHeaders, secret: string): WebhookEvent | number {
  const webhook = new Webhook([secret, 'sk_old'])
  try {
    const event = webhook.verifyHeaders(rawBody, headers)
    const byHeader = new Webhook(secret).verify(rawBody.toString('utf8'), headers[SIGNATURE_HEADER])
    const name: string = event.event
    const test: boolean = event.isTest && byHeader.isSettled
    const paidAt: string | null = event.paidAt
    const paidAtTime: Date | null = event.paidAtTime
    void [name, test, paidAt, paidAtTime, event.paymentMethod, event.transactionId, event.amount, event.orderId]
    return event
  } catch (e) {
    if (e instanceof CashiError) {
      const code: ErrorCode = e.code
      const status: number | undefined = e.status
      if (e.code === 'payment_mismatch') {
        const expected: number | undefined = e.expectedAmount
        const actual: number | null | undefined = e.actualAmount
        void [expected, actual, e.paymentStatus]
      }
      void [code, status]
      return 400
    }
    throw e
  }
}

export function fetchStyle(request: { headers: Headers }, body: ArrayBuffer, secret: string): WebhookEvent {
  return new Webhook(secret).verifyHeaders(body, request.headers)
}

// What a caller does with each failure: `instanceof` narrows to the class, and with it the code
// and the fields only that class has.
export async function fulfil(cashi: Cashi, orderId: string, expectedAmount: number): Promise<string> {
  try {
    await cashi.confirm(orderId, { expectedAmount })
    return 'fulfilled'
  } catch (e) {
    if (e instanceof PaymentMismatchError) {
      const code: 'payment_mismatch' = e.code
      const expected: number = e.expectedAmount
      const actual: number | null = e.actualAmount
      const status: string = e.paymentStatus
      const id: string = e.orderId
      void [code, expected, actual, status, id]
      return 'review'
    }
    if (e instanceof NotFoundError) {
      const code: 'not_found' = e.code
      const http: number | undefined = e.status
      void [code, http]
      return 'unknown order'
    }
    if (e instanceof AuthenticationError || e instanceof RateLimitError || e instanceof ConflictError) {
      const code: 'authentication' | 'rate_limited' | 'conflict' = e.code
      return code
    }
    if (e instanceof APIError) {
      const code: 'api' | 'authentication' | 'not_found' | 'conflict' | 'rate_limited' | 'server' = e.code
      return code
    }
    if (e instanceof APITimeoutError) {
      const code: 'timeout' = e.code
      return code
    }
    if (e instanceof APIConnectionError) {
      const code: 'connection' | 'timeout' = e.code
      return code
    }
    if (e instanceof CashiError) {
      const code: ErrorCode = e.code
      return code
    }
    throw e
  }
}

export function refuse(rawBody: Buffer, signatureHeader: string, secret: string): number {
  try {
    new Webhook(secret).verify(rawBody, signatureHeader)
    return 200
  } catch (e) {
    if (e instanceof SignatureVerificationError) {
      return 401
    }
    if (e instanceof WebhookPayloadError) {
      return 400
    }
    throw e
  }
}

export function logWhatItDoes(cashi: Cashi, webhook: Webhook): void {
  cashi.on('response', (attempt: AttemptEvent) => {
    const status: number | null = attempt.httpStatus
    console.debug(`${attempt.method} ${attempt.path} attempt ${attempt.attempt}: ${status} in ${attempt.elapsedMs} ms`)
  })
  cashi.on('retry', (attempt) => console.warn(`retrying in ${attempt.retryInMs} ms: ${attempt.error?.code}`))
  cashi.once('request', (call: CallEvent) => {
    const code: ErrorCode | undefined = call.error?.code
    console.info(call.orderId, call.attempts, code)
  })
  webhook.on('verification', (check: VerificationEvent) => {
    if (check.error !== null) console.warn(`webhook refused: ${check.error.message}`)
  })
  // @ts-expect-error a call's event has attempts, not attempt
  cashi.on('request', (call: CallEvent) => call.attempt)
}

export const signature: string = sign('sk_test', '{"event":"PAYMENT_SETTLED"}')
export const codes: readonly ErrorCode[] = ERROR_CODES

export async function mistakes(cashi: Cashi, order: Order, event: WebhookEvent): Promise<void> {
  // @ts-expect-error amount is required
  await cashi.createOrder({ orderId: 'X' })
  // @ts-expect-error amounts are numbers, never text
  await cashi.createOrder({ amount: '15000' })
  // @ts-expect-error the option is orderId
  await cashi.createOrder({ amount: 15000, order_id: 'X' })
  // @ts-expect-error an event's own amount is not an expectation: pass expectedAmount
  await cashi.confirm(event)
  // @ts-expect-error an order id needs expectedAmount too
  await cashi.confirm('INV-1')
  // @ts-expect-error the option is timeoutMs
  await cashi.waitForPayment(order, { timeout: 5 })
  // @ts-expect-error verify is synchronous: no Promise
  await new Webhook('sk').verify(Buffer.from(''), 'sig').then(() => {})
  // @ts-expect-error a parsed body is not a raw body
  new Webhook('sk').verify({ event: 'PAYMENT_SETTLED' }, 'sig')
  // @ts-expect-error results are read-only
  order.amount = 1
  // @ts-expect-error nested results too
  order.virtualAccount!.vaNumber = 'x'
  // @ts-expect-error a batch takes an array
  await cashi.checkStatuses('INV-1')
  // @ts-expect-error a batch's request is a createOrder request
  await cashi.createOrders([{ amount: 15000, order_id: 'X' }])
  // @ts-expect-error not a code
  const wrong: ErrorCode = 'not_a_code'
  void wrong
  // @ts-expect-error a CashiError needs a real code
  new CashiError('oops', 'message')
  const mocked: CashiError = new CashiError('not_found', 'no order X', { status: 404 })
  const notFound: NotFoundError = new NotFoundError('no order X', { status: 404 })
  const mismatch = new PaymentMismatchError('not paid', {
    orderId: 'X',
    expectedAmount: 15023,
    actualAmount: null,
    paymentStatus: 'PENDING',
  })
  void [mocked, notFound, mismatch]
  // @ts-expect-error a PaymentMismatchError carries what was compared
  new PaymentMismatchError('not paid')
  // @ts-expect-error one class per code: a ConflictError is not a NotFoundError
  const other: NotFoundError = new ConflictError('taken')
  void other
  // @ts-expect-error a NotFoundError's code is not_found, nothing else
  if (notFound.code === 'conflict') return
}

export async function handlers(cashi: Cashi, secret: string, stored: Map<string, number>): Promise<void> {
  const options: WebhookHandlerOptions = {
    secret: [secret, 'sk_old'],
    client: cashi,
    expectedAmount: (orderId) => stored.get(orderId),
    onPaid: async (orderId: string, amount: number, event: WebhookEvent) => {
      const verified: boolean = event.isVerified
      void [orderId, amount, verified]
    },
    alreadyFulfilled: async (orderId) => stored.has(`${orderId}:fulfilled`),
    onMismatch: (orderId, error) => void [orderId, error.expectedAmount],
    allowUnsigned: false,
  }
  const handler = new WebhookHandler(options)
  const result: WebhookHandlerResult = await handler.handle(Buffer.from('{}'), { 'x-gateway-signature': '00' })
  const status: number = result.status
  const response: Response = await handler.fetch(new Request('https://shop.example/webhooks/cashi'))
  void [status, result.text, result.event?.orderId, response.status]

  const app = express()
  app.post('/webhooks/cashi', express.raw({ type: 'application/json' }), webhookHandler(handler))
  app.post('/webhooks/other', webhookHandler(options))
  const fastify = Fastify()
  await fastify.register(cashiWebhook, { path: '/webhooks/cashi', ...options })
  await fastify.register(cashiWebhook, { handler })
  const hint: WebhookEvent = Webhook.parseUnverified(Buffer.from('{}'))
  void hint

  // @ts-expect-error onPaid is required
  new WebhookHandler({ secret, expectedAmount: () => 1 })
  // @ts-expect-error the expected amount is a number, never text
  new WebhookHandler({ secret, expectedAmount: () => '15023', onPaid: () => {} })
}
