'use strict'

// Shared by the tests: a real sandbox on a free port, its control API, the shared vectors.

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const readline = require('node:readline')
const assert = require('node:assert/strict')

const API_KEY = 'CASHI-NODETEST01'
const WEBHOOK_SECRET = 'sk_0123456789abcdef0123456789abcdef'

function sandboxBin() {
  const bin = process.env.CASHI_SANDBOX_BIN
  if (!bin) {
    throw new Error('CASHI_SANDBOX_BIN is not set: run the tests through bindings-node/test.sh')
  }
  return bin
}

/** Starts a sandbox; resolves once it listens. `extraArgs` go to the binary. */
async function startSandbox(extraArgs = []) {
  const child = spawn(
    sandboxBin(),
    ['--port', '0', '--api-key', API_KEY, '--webhook-secret', WEBHOOK_SECRET, '--quiet', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const lines = readline.createInterface({ input: child.stdout })
  const origin = await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`cashi-sandbox exited with ${code} before listening`)))
    lines.once('line', (line) => {
      const m = /^listening on (https?:\/\/127\.0\.0\.1:\d+)$/.exec(line)
      if (m) {
        resolve(m[1])
      } else {
        reject(new Error(`unexpected first line from cashi-sandbox: ${line}`))
      }
    })
  })
  child.removeAllListeners('exit')
  lines.on('line', () => {}) // keep draining stdout
  const baseUrl = `${origin}/api`

  async function control(method, route, body) {
    const res = await fetch(`${baseUrl}/sandbox/${route}`, {
      method,
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) {
      throw new Error(`sandbox ${method} ${route}: HTTP ${res.status}: ${text}`)
    }
    return JSON.parse(text)
  }

  return {
    origin,
    baseUrl,
    apiKey: API_KEY,
    webhookSecret: WEBHOOK_SECRET,
    control,
    pay: (orderId, amount) =>
      control('POST', `orders/${encodeURIComponent(orderId)}/pay`, amount === undefined ? {} : { amount }),
    expire: (orderId) => control('POST', `orders/${encodeURIComponent(orderId)}/expire`, {}),
    fault: (fault) => control('POST', 'faults', fault),
    clearFaults: () => control('DELETE', 'faults'),
    deliveries: async (orderId) =>
      (await control('GET', `webhooks${orderId ? `?order_id=${encodeURIComponent(orderId)}` : ''}`)).deliveries,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve()
          return
        }
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** Polls `probe` until it returns a truthy value; fails after `tries` attempts. */
async function eventually(probe, { tries = 200, intervalMs = 50, what = 'condition' } = {}) {
  let last
  for (let i = 0; i < tries; i++) {
    last = await probe()
    if (last) {
      return last
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  throw new Error(`${what} did not happen (last value: ${JSON.stringify(last)})`)
}

function vectorsDir() {
  const dir = process.env.CASHI_VECTORS_DIR || path.join(__dirname, 'vectors')
  if (!fs.existsSync(path.join(dir, 'webhook_signatures.json'))) {
    throw new Error(`no vectors in ${dir}: set CASHI_VECTORS_DIR to the repository's tests/vectors`)
  }
  return dir
}

function loadVectors(file) {
  return JSON.parse(fs.readFileSync(path.join(vectorsDir(), file), 'utf8'))
}

/** The body bytes of a vector case: body (UTF-8), body_base64, or body_pattern. */
function vectorBody(c) {
  if (typeof c.body === 'string') {
    return Buffer.from(c.body, 'utf8')
  }
  if (typeof c.body_base64 === 'string') {
    return Buffer.from(c.body_base64, 'base64')
  }
  if (c.body_pattern) {
    const p = c.body_pattern
    return Buffer.from(p.prefix + p.repeat.repeat(p.times) + p.suffix, 'utf8')
  }
  throw new Error(`vector ${c.name} has no body`)
}

/** The class each error code is thrown as, and its parent's code: tests/vectors/error_classes.json. */
const ERROR_CLASSES = loadVectors('error_classes.json').codes
const ERROR_CLASS_OF = Object.freeze(
  Object.fromEntries(Object.entries(ERROR_CLASSES).map(([code, c]) => [code, c.node])),
)
/** The class name of each class's parent (CashiError for the root's children). */
const PARENT_CLASS_OF = Object.freeze(
  Object.fromEntries(
    Object.values(ERROR_CLASSES).map((c) => [c.node, c.parent === null ? 'CashiError' : ERROR_CLASSES[c.parent].node]),
  ),
)

/** Asserts that `error` is the SDK's error for `code`: its class, its parents, its name and stack. */
function assertErrorClass(error, code) {
  const cashi = require('cashi')
  const name = ERROR_CLASS_OF[code]
  assert.ok(name, `no class known for code ${code}`)
  assert.ok(error instanceof cashi.CashiError, `expected a CashiError, got ${error && error.stack}`)
  assert.ok(error instanceof Error)
  assert.ok(error instanceof cashi[name], `expected a ${name}, got ${error && error.stack}`)
  assert.equal(error.constructor, cashi[name])
  assert.equal(error.code, code, `code of: ${error.message}`)
  assert.equal(error.name, name)
  assert.ok(error.stack.startsWith(`${name}: `), error.stack)
}

let counter = 0
/** An order id no other test uses. */
function uniqueId(prefix = 'NODE') {
  counter += 1
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`
}

module.exports = {
  API_KEY,
  WEBHOOK_SECRET,
  startSandbox,
  eventually,
  loadVectors,
  vectorBody,
  uniqueId,
  ERROR_CLASS_OF,
  PARENT_CLASS_OF,
  assertErrorClass,
}
