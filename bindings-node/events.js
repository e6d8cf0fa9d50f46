'use strict'

// What the SDK did, as Node shows it: the core's events emitted on the client and the
// webhook verifier (EventEmitter semantics), and printed for NODE_DEBUG=cashi through
// util.debuglog. Every event's fields are the core's JSON shape (the same in every
// language) with camelCase keys; never the API key, a webhook secret or a body.
//
//   client: 'response'     after every HTTP attempt, answered or not (httpStatus null when
//                          no answer came), with attempt, elapsedMs, error, retryInMs
//           'retry'        after an attempt that failed and will be retried (retryInMs: the
//                          pause before the next one); it was also a 'response'
//           'request'      once per call (createOrder, checkStatus, ...), when it finished,
//                          with attempts, the last httpStatus, elapsedMs, error
//   webhook: 'verification' after every verify / verifyHeaders, accepted or refused
//
// The native side does nothing until something listens: before each call the client (and
// each verification) checks for listeners of these events or NODE_DEBUG, and only then
// has the native module send events. A client's events come from the runtime's thread
// through a weak threadsafe function, so they are emitted on the JavaScript thread soon
// after they happen (before the call's Promise settles); a verifier's are emitted before
// verify returns or throws.

const util = require('node:util')

const debug = util.debuglog('cashi')

const CLIENT_EVENTS = ['request', 'response', 'retry']
const WEBHOOK_EVENTS = ['verification']

// The core's snake_case keys in camelCase (one level: `error` holds code and message).
function camel(fields) {
  const out = {}
  for (const [key, value] of Object.entries(fields)) {
    out[key.replace(/_([a-z])/g, (_, c) => c.toUpperCase())] = value
  }
  return out
}

function wanted(emitter, names) {
  return debug.enabled || names.some((name) => emitter.listenerCount(name) > 0)
}

// Prints a record for NODE_DEBUG=cashi and turns it into the payload to emit.
function payload(record) {
  debug('%s %s', record.level, record.line)
  return camel(JSON.parse(record.fields))
}

// Emits a client's native event records on the client, while it exists.
function dispatch(client, record) {
  const event = payload(record)
  if (client === undefined) {
    return
  }
  if (event.type === 'call') {
    client.emit('request', event)
  } else if (event.type === 'attempt') {
    client.emit('response', event)
    if (event.retryInMs !== null) {
      client.emit('retry', event)
    }
  }
}

/** Keeps a client's native event listener in step with its JavaScript listeners. */
class ClientEvents {
  #native
  #listener
  #on = false

  constructor(client, native) {
    this.#native = native
    // The native side holds this function: it must not hold the client, which holds the
    // native side (a cycle the garbage collector cannot see through).
    const ref = new WeakRef(client)
    this.#listener = (record) => dispatch(ref.deref(), record)
  }

  /** Called before each call. */
  sync(client) {
    const on = wanted(client, CLIENT_EVENTS)
    if (on !== this.#on) {
      this.#native.setEventListener(on ? this.#listener : null)
      this.#on = on
    }
  }
}

/** The same for a verifier, whose event is taken synchronously after each verification. */
class WebhookEvents {
  #native
  #verifier
  #on = false

  /** `native`: the native module; `verifier`: the verifier it made (`webhookNew`). */
  constructor(native, verifier) {
    this.#native = native
    this.#verifier = verifier
  }

  /** Runs `verify` (a call of the native verifier) and emits its event on `webhook`. */
  around(webhook, verify) {
    const on = wanted(webhook, WEBHOOK_EVENTS)
    if (on !== this.#on) {
      this.#native.webhookKeepEvents(this.#verifier, on)
      this.#on = on
    }
    if (!on) {
      return verify()
    }
    try {
      return verify()
    } finally {
      const record = this.#native.webhookTakeEvent(this.#verifier)
      if (record !== null && record !== undefined) {
        webhook.emit('verification', payload(record))
      }
    }
  }
}

module.exports = { ClientEvents, WebhookEvents }
