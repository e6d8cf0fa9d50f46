'use strict'

// The webhook route every merchant writes, once: verify the signature on the raw body,
// answer the dashboard's Test Webhook without calling the merchant, confirm with Cashi
// against the stored amount, then call the merchant's `onPaid`; each outcome is the HTTP
// status Cashi should see. Framework-free (a raw body and the headers in, a status and a
// short text out, or a Fetch API Request in and a Response out); `cashi/express` and
// `cashi/fastify` mount it. The status codes and why: README.md, "Webhook handlers"; each
// answer's status, text and outcome name come from the core's table (answers.js).
// An EventEmitter: 'answer' after each delivery (what Cashi was told, for which order),
// printed for NODE_DEBUG=cashi as the SDK's other events are.

const { EventEmitter } = require('node:events')
const util = require('node:util')

const answers = require('./answers.js')
const { Cashi, CashiError, PaymentMismatchError, Webhook } = require('./index.js')

const debug = util.debuglog('cashi')

const OPTIONS = [
  'secret',
  'client',
  'expectedAmount',
  'onPaid',
  'alreadyFulfilled',
  'onMismatch',
  'onError',
  'allowUnsigned',
]

function optionError(message) {
  const err = new TypeError(`WebhookHandler: ${message}`)
  err.code = 'invalid_argument'
  return err
}

function kindOf(value) {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}

/** One line on stderr: what went wrong and for which order (never a secret: none is at hand here). */
function defaultOnError(error, context) {
  const where = context.orderId === undefined ? '' : ` for order ${context.orderId}`
  console.error(`cashi webhook: ${context.step} failed${where}:`, error)
}

class WebhookHandler extends EventEmitter {
  #webhook
  #client
  #expectedAmount
  #onPaid
  #alreadyFulfilled
  #onMismatch
  #onError
  #allowUnsigned

  constructor(options) {
    super()
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw optionError('pass an object: { secret, client, expectedAmount, onPaid, alreadyFulfilled }')
    }
    for (const key of Object.keys(options)) {
      if (!OPTIONS.includes(key)) {
        throw optionError(`unknown option ${JSON.stringify(key)}; the options are ${OPTIONS.join(', ')}`)
      }
    }
    for (const name of ['expectedAmount', 'onPaid']) {
      if (typeof options[name] !== 'function') {
        throw optionError(`${name}: ${kindOf(options[name])} is not a function`)
      }
    }
    for (const name of ['alreadyFulfilled', 'onMismatch', 'onError']) {
      if (options[name] !== undefined && typeof options[name] !== 'function') {
        throw optionError(`${name}: ${kindOf(options[name])} is not a function`)
      }
    }
    if (options.client !== undefined && !(options.client instanceof Cashi)) {
      throw optionError(`client: ${kindOf(options.client)} is not a Cashi client (new Cashi())`)
    }
    this.#allowUnsigned = options.allowUnsigned === true
    const secret = options.secret
    if (secret instanceof Webhook) {
      this.#webhook = secret
    } else if (secret === undefined || secret === null) {
      if (!this.#allowUnsigned) {
        throw optionError(
          'secret: pass your webhook secret (sk_..., Settings → Webhook in the Cashi dashboard); it may be left out only with allowUnsigned: true',
        )
      }
    } else {
      this.#webhook = new Webhook(secret)
    }
    this.#client = options.client ?? new Cashi()
    this.#expectedAmount = options.expectedAmount
    this.#onPaid = options.onPaid
    this.#alreadyFulfilled = options.alreadyFulfilled
    this.#onMismatch = options.onMismatch
    this.#onError = options.onError ?? defaultOnError
  }

  get allowUnsigned() {
    return this.#allowUnsigned
  }

  /** Handles one delivery: resolves with `{ status, text, event }` to answer Cashi. */
  async handle(rawBody, headers) {
    const result = await this.#answer(rawBody, headers)
    if (debug.enabled || this.listenerCount('answer') > 0) {
      const event = result.event
      const fields = {
        type: 'webhook_answer',
        orderId: event?.orderId ?? null,
        outcome: result.outcome,
        status: result.status,
        text: result.text,
        isTest: event?.isTest ?? null,
        isVerified: event?.isVerified ?? null,
      }
      const level = answers.ANSWERS[result.outcome].level
      const where = fields.orderId === null ? '' : ` for order ${fields.orderId}`
      debug('%s webhook%s: %d %s', level, where, result.status, result.text)
      try {
        this.emit('answer', { level, ...fields })
      } catch (e) {
        // A listener that throws must not change what Cashi is told (a fulfilled order
        // answered 500 would be delivered, and fulfilled, again): it goes to onError.
        this.#report(e, { step: "an 'answer' listener", orderId: fields.orderId ?? undefined })
      }
    }
    return result
  }

  // handle()'s answer, before it is reported.
  async #answer(rawBody, headers) {
    const read = this.#read(rawBody, headers)
    if (read.status !== undefined) {
      return read // 400
    }
    const event = read.event
    const orderId = event.orderId
    if (event.isTest) {
      return answer(answers.TEST_WEBHOOK, event)
    }
    if (!event.isSettled) {
      return answer(answers.NOT_SETTLEMENT, event)
    }
    let expected
    try {
      if (this.#alreadyFulfilled && (await this.#alreadyFulfilled(orderId))) {
        return answer(answers.ALREADY_FULFILLED, event)
      }
      expected = await this.#expectedAmount(orderId)
    } catch (e) {
      this.#report(e, { step: 'a callback', orderId })
      return answer(answers.HANDLER_ERROR, event)
    }
    if (expected === undefined || expected === null) {
      return answer(answers.UNKNOWN_ORDER, event)
    }
    if (typeof expected !== 'number' || !Number.isSafeInteger(expected)) {
      this.#report(
        optionError(
          `expectedAmount(${JSON.stringify(orderId)}) gave ${kindOf(expected)}, not the stored amount (a whole number)`,
        ),
        {
          step: 'expectedAmount',
          orderId,
        },
      )
      return answer(answers.HANDLER_ERROR, event)
    }
    let status
    try {
      status = await this.#client.confirm(event, { expectedAmount: expected })
    } catch (e) {
      if (e instanceof PaymentMismatchError) {
        if (this.#onMismatch) {
          try {
            await this.#onMismatch(orderId, e, event)
          } catch (e2) {
            this.#report(e2, { step: 'onMismatch', orderId })
          }
        }
        return answer(answers.NOT_CONFIRMED, event)
      }
      const failed =
        e instanceof CashiError && Object.hasOwn(answers.ANSWER_TO_FAILED_CONFIRM, e.code)
          ? answers.ANSWER_TO_FAILED_CONFIRM[e.code]
          : answers.CONFIRM_FAILED
      if (failed.level === 'error') {
        this.#report(e, { step: 'confirm', orderId })
      }
      return answer(failed, event)
    }
    try {
      await this.#onPaid(orderId, status.amount ?? expected, event)
    } catch (e) {
      this.#report(e, { step: 'onPaid', orderId })
      return answer(answers.HANDLER_ERROR, event)
    }
    return answer(answers.FULFILLED, event)
  }

  /**
   * For a Fetch API Request (Next.js App Router, Hono, Bun, Deno, Cloudflare Workers):
   * reads the raw bytes and resolves with the Response to send.
   */
  async fetch(request) {
    if (request === null || typeof request !== 'object' || typeof request.arrayBuffer !== 'function') {
      throw optionError(`fetch: ${kindOf(request)} is not a Fetch API Request`)
    }
    const body = Buffer.from(await request.arrayBuffer())
    const result = await this.handle(body, request.headers)
    return new Response(result.text, {
      status: result.status,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })
  }

  // The event, or the 400 answer for a body that is not a genuine Cashi event.
  #read(rawBody, headers) {
    try {
      if (this.#allowUnsigned && !(headers !== null && typeof headers === 'object' && Webhook.isSigned(headers))) {
        return { event: Webhook.parseUnverified(rawBody) }
      }
      if (this.#webhook === undefined) {
        return answer(answers.NO_SECRET)
      }
      return { event: this.#webhook.verifyHeaders(rawBody, headers) }
    } catch (e) {
      if (e instanceof CashiError && (e.code === 'signature_invalid' || e.code === 'webhook_payload')) {
        return answer(e.code === 'signature_invalid' ? answers.INVALID_SIGNATURE : answers.INVALID_PAYLOAD)
      }
      throw e // a parsed body or no headers: the integration's bug, not Cashi's request
    }
  }

  #report(error, context) {
    try {
      this.#onError(error, context)
    } catch {
      // a failing error reporter must not change the answer
    }
  }
}

// What to tell Cashi: an answer of the core's table (answers.js), for `event` when it was read.
function answer({ status, text, outcome }, event) {
  return { status, text, outcome, event }
}

module.exports = { WebhookHandler }
