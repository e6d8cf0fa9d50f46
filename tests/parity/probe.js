'use strict'

// The Node probe of the parity test (tests/parity/run.py): the names the installed `cashi`
// package exposes on each result, read from real objects: orders (QRIS, a virtual account,
// a retail code) and a status from a sandbox it starts, and a webhook event it signs and
// verifies. Each camelCase name is spelt back in snake_case; `raw` (Cashi's whole answer)
// and methods (`qrPng`) are not fields.
//
//   node tests/parity/probe.js SANDBOX_BIN     (from a project where cashi is installed)
//   python3 tests/parity/run.py node -- node tests/parity/probe.js SANDBOX_BIN

const { spawn } = require('node:child_process')
const readline = require('node:readline')
const { Cashi, Webhook, sign } = require('cashi')

const API_KEY = 'CASHI-PARITY0001'

/** A sandbox on a free port; resolves with its base URL and a stop function. */
function startSandbox(bin) {
  const child = spawn(bin, ['--port', '0', '--api-key', API_KEY, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = readline.createInterface({ input: child.stdout })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code} before listening`)))
    lines.once('line', (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)
      if (!m) {
        reject(new Error(`unexpected first line from the sandbox: ${line}`))
        return
      }
      lines.on('line', () => {})
      resolve({ baseUrl: `${m[1]}/api`, stop: () => child.kill('SIGTERM') })
    })
  })
}

const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** The fields of a result: its own properties and its prototype's getters, but `raw`. */
function fields(value) {
  if (value === null || typeof value !== 'object') {
    throw new Error(`not a result: ${value}`)
  }
  const names = Object.keys(value)
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (d.get !== undefined) names.push(name)
    }
  }
  return names.filter((n) => n !== 'raw').map(snake)
}

async function main() {
  const bin = process.argv[2]
  if (!bin) {
    throw new Error('usage: probe.js SANDBOX_BIN')
  }
  const sandbox = await startSandbox(bin)
  try {
    const cashi = new Cashi({ apiKey: API_KEY, baseUrl: sandbox.baseUrl })
    const order = await cashi.createOrder({ amount: 15000, orderId: 'PARITY-QRIS' })
    const va = await cashi.createOrder({ amount: 50000, orderId: 'PARITY-VA', channel: 'BCA' })
    const retail = await cashi.createOrder({ amount: 20000, orderId: 'PARITY-RETAIL', channel: 'ALFAMART' })
    const status = await cashi.checkStatus(order)
    const secret = 'sk_parity'
    const body = JSON.stringify({
      event: 'PAYMENT_SETTLED',
      data: { order_id: order.orderId, status: 'SETTLED', amount: order.amount, paid_at: '2026-12-05 10:00:00' },
    })
    const event = new Webhook(secret).verify(body, sign(secret, body))
    const exposed = {
      Order: fields(order),
      VirtualAccount: fields(va.virtualAccount),
      RetailCode: fields(retail.retail),
      PaymentStatus: fields(status),
      WebhookEvent: fields(event),
    }
    process.stdout.write(JSON.stringify(exposed) + '\n')
  } finally {
    sandbox.stop()
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
