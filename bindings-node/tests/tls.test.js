'use strict'

// HTTPS with a CA of one's own: a sandbox started with --tls, trusted through its CA
// certificate's file with the caBundle option; without it the certificate is refused, and a
// bundle that cannot be used is an InvalidRequestError naming the path.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Cashi, APIConnectionError, InvalidRequestError } = require('cashi')
const { startSandbox, uniqueId } = require('./helpers.js')

let sb
let dir
let ca

before(async () => {
  delete process.env.CASHI_CA_BUNDLE
  delete process.env.SSL_CERT_FILE
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cashi-node-tls-'))
  ca = path.join(dir, 'ca.pem')
  sb = await startSandbox(['--tls', '--tls-ca-out', ca])
})

after(async () => {
  await sb.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('the sandbox is trusted with its caBundle', async () => {
  const cashi = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, caBundle: ca })
  assert.match(cashi.baseUrl, /^https:\/\/127\.0\.0\.1:\d+\/api$/)
  const orderId = uniqueId('NODE-TLS')
  const order = await cashi.createOrder({ amount: 15000, orderId })
  assert.ok(order.amount > 15000)
  assert.equal((await cashi.checkStatus(orderId)).status, 'PENDING')
})

test('without the bundle the certificate is refused', async () => {
  const cashi = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, maxRetries: 0 })
  await assert.rejects(cashi.checkStatus('NODE-TLS-NONE'), (e) => {
    assert.ok(e instanceof APIConnectionError, String(e))
    assert.equal(e.code, 'connection')
    assert.match(e.message, /invalid peer certificate/)
    assert.match(e.message, /caBundle/)
    return true
  })
})

test('a bad bundle is an InvalidRequestError naming the path', () => {
  const notPem = path.join(dir, 'not.pem')
  fs.writeFileSync(notPem, 'NODE-JUNK-CONTENT is not a certificate\n')
  const missing = path.join(dir, 'missing.pem')
  for (const [file, says] of [
    [missing, 'cannot be read'],
    [notPem, 'holds no PEM certificate'],
  ]) {
    assert.throws(
      () => new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, caBundle: file }),
      (e) => {
        assert.ok(e instanceof InvalidRequestError, String(e))
        assert.equal(e.code, 'invalid_argument')
        assert.ok(e.message.startsWith(`caBundle: ${file} `), e.message)
        assert.ok(e.message.includes(says), e.message)
        assert.ok(!e.message.includes('JUNK'), e.message)
        return true
      },
    )
  }
  assert.throws(
    () => new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, caBundle: 5 }),
    /caBundle: .* is not a string/,
  )
})
