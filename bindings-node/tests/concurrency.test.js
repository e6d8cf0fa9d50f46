'use strict'

// Many calls at once on one client, the event loop left free, and clients in worker threads.

const { test, before, after, afterEach } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { Worker } = require('node:worker_threads')
const { execFile } = require('node:child_process')
const { Cashi, CashiError } = require('cashi')
const { startSandbox, uniqueId } = require('./helpers.js')

let sb
let cashi

before(async () => {
  sb = await startSandbox()
  cashi = new Cashi({ apiKey: sb.apiKey, baseUrl: sb.baseUrl })
})

after(async () => {
  await sb.stop()
})

afterEach(async () => {
  await sb.clearFaults()
})

test('1,000 concurrent promises on one client', async () => {
  // 50 orders at once (distinct amounts: Cashi keeps the amounts to pay of pending orders
  // apart, and creating an order renders a QR image, which a debug-built sandbox does slowly).
  const ids = Array.from({ length: 50 }, () => uniqueId('MANY'))
  const orders = await Promise.all(ids.map((orderId, i) => cashi.createOrder({ amount: 1_000_000 + i * 100, orderId })))
  assert.deepEqual(
    orders.map((o) => o.orderId),
    ids,
  )
  // 1,000 status reads at once, each answered with its own order.
  const targets = Array.from({ length: 1000 }, (_, i) => orders[i % orders.length])
  const statuses = await Promise.all(targets.map((o) => cashi.checkStatus(o.orderId)))
  assert.equal(statuses.length, 1000)
  for (const [i, s] of statuses.entries()) {
    assert.equal(s.orderId, targets[i].orderId)
    assert.equal(s.status, 'PENDING')
    assert.equal(s.amount, targets[i].amount)
  }
  // 1,000 mixed outcomes at once: each promise gets its own answer or its own error.
  const mixed = await Promise.allSettled(
    targets.map((o, i) => (i % 2 ? cashi.checkStatus(o) : cashi.checkStatus(uniqueId('NONE')))),
  )
  for (const [i, r] of mixed.entries()) {
    if (i % 2) {
      assert.equal(r.status, 'fulfilled')
      assert.equal(r.value.orderId, targets[i].orderId)
    } else {
      assert.equal(r.status, 'rejected')
      assert.ok(r.reason instanceof CashiError)
      assert.equal(r.reason.code, 'not_found')
    }
  }
})

test('a slow call does not block the event loop', async () => {
  const order = await cashi.createOrder({ amount: 16000, orderId: uniqueId() })
  await sb.fault({ kind: 'latency', path: 'check-status', latency_ms: 3000, count: 1 })
  let slowDone = false
  const slow = cashi.checkStatus(order.orderId).then((s) => {
    slowDone = true
    return s
  })
  // While Cashi "thinks", JavaScript keeps running: timers fire and other requests complete.
  await new Promise((resolve) => setImmediate(resolve))
  const fast = await fetch(`${sb.baseUrl}/sandbox/clock`, { headers: { 'x-api-key': sb.apiKey } })
  assert.equal(fast.status, 200)
  const other = await cashi.createOrder({ amount: 16001, orderId: uniqueId() })
  assert.equal(other.requestedAmount, 16001)
  assert.equal(slowDone, false, 'the slow call was still pending while the others ran')
  assert.equal((await slow).status, 'PENDING')
})

function runWorker(data) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: data })
    let result
    worker.once('message', (m) => {
      result = m
    })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}`))
      else resolve(result)
    })
  })
}

test('clients work in worker threads, and the main thread keeps working after they exit', async () => {
  const results = await Promise.all(
    Array.from({ length: 4 }, (_, i) =>
      runWorker({
        baseUrl: sb.baseUrl,
        apiKey: sb.apiKey,
        secret: sb.webhookSecret,
        prefix: `W${i}-${process.pid}`,
        count: 25,
        firstAmount: 2_000_000 + i * 10_000,
      }),
    ),
  )
  for (const r of results) {
    assert.equal(r.error, undefined, r.error)
    assert.equal(r.created.length, 25)
    assert.ok(r.statuses.every((s) => s === 'PENDING'))
    assert.equal(r.notFoundCode, 'not_found')
    assert.equal(r.notFoundIsCashiError, true)
    assert.equal(r.webhookAmount, 15023)
  }
  // Orders made in workers are visible from the main thread's client.
  const s = await cashi.checkStatus(results[0].created[0])
  assert.equal(s.status, 'PENDING')
  // A second round of workers after the first ones ended: the runtime is still usable.
  const again = await runWorker({
    baseUrl: sb.baseUrl,
    apiKey: sb.apiKey,
    secret: sb.webhookSecret,
    prefix: `W9-${process.pid}`,
    count: 3,
    firstAmount: 2_100_000,
  })
  assert.equal(again.error, undefined, again.error)
  assert.equal(again.created.length, 3)
  assert.equal((await cashi.checkStatus(again.created[2])).status, 'PENDING')
})

test('a process whose main thread never loads cashi can use it from one worker after another', async () => {
  // The native runtime lives as long as some thread holds the module: here each worker is
  // the only one, so it is started, stopped and started again.
  const script = `
    const { Worker } = require('node:worker_threads')
    const run = (data) => new Promise((resolve, reject) => {
      const w = new Worker(${JSON.stringify(path.join(__dirname, 'worker.js'))}, { workerData: data })
      let result
      w.once('message', (m) => { result = m })
      w.once('error', reject)
      w.once('exit', () => resolve(result))
    })
    ;(async () => {
      const base = { baseUrl: ${JSON.stringify(sb.baseUrl)}, apiKey: ${JSON.stringify(sb.apiKey)}, secret: 'sk_w', count: 2 }
      const first = await run({ ...base, prefix: 'SEQ1-' + process.pid, firstAmount: 3000000 })
      const second = await run({ ...base, prefix: 'SEQ2-' + process.pid, firstAmount: 3100000 })
      console.log(JSON.stringify({ first, second, loaded: Object.keys(require.cache).length > 0 }))
    })()
  `
  const stdout = await runScript(script, 60_000)
  const { first, second, loaded } = JSON.parse(stdout)
  assert.equal(loaded, false, 'the main thread did not load cashi')
  for (const r of [first, second]) {
    assert.equal(r.error, undefined, r.error)
    assert.deepEqual(r.statuses, ['PENDING', 'PENDING'])
    assert.equal(r.notFoundCode, 'not_found')
  }
})

test('worker threads and the main thread call at once, each getting its own answers', async () => {
  // Every module instance numbers its calls from 1 and has its own completion channel: an
  // answer delivered to the wrong thread, or to the wrong call, shows as a wrong order id.
  const mine = await Promise.all(
    Array.from({ length: 10 }, (_, i) => cashi.createOrder({ amount: 2_200_000 + i * 100, orderId: uniqueId('MAIN') })),
  )
  const workers = Promise.all(
    Array.from({ length: 2 }, (_, i) =>
      runWorker({
        baseUrl: sb.baseUrl,
        apiKey: sb.apiKey,
        secret: sb.webhookSecret,
        prefix: `WM${i}-${process.pid}`,
        count: 20,
        firstAmount: 2_300_000 + i * 10_000,
      }),
    ),
  )
  const rounds = []
  for (let round = 0; round < 5; round++) {
    const targets = Array.from({ length: 40 }, (_, i) => mine[(i + round) % mine.length])
    rounds.push(
      Promise.all(
        targets.map(async (o, i) => {
          const s = i % 4 === 3 ? await cashi.checkStatus(uniqueId('NONE')).catch((e) => e) : await cashi.checkStatus(o)
          return [o, i, s]
        }),
      ),
    )
  }
  const [results, ...mainRounds] = await Promise.all([workers, ...rounds])
  for (const [i, r] of results.entries()) {
    assert.equal(r.error, undefined, r.error)
    assert.deepEqual(
      r.created,
      Array.from({ length: 20 }, (_, k) => `WM${i}-${process.pid}-${k}`),
    )
    assert.ok(r.statuses.every((s) => s === 'PENDING'))
    assert.equal(r.notFoundCode, 'not_found')
  }
  for (const round of mainRounds) {
    for (const [o, i, s] of round) {
      if (i % 4 === 3) {
        assert.ok(s instanceof CashiError)
        assert.equal(s.code, 'not_found')
      } else {
        assert.equal(s.orderId, o.orderId)
        assert.equal(s.amount, o.amount)
      }
    }
  }
})

// Runs `script` in a fresh node with the installed package; resolves with its stdout,
// rejects if it fails or has not exited after `timeoutMs` (a loop held open by the SDK).
function runScript(script, timeoutMs) {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', script], { cwd: __dirname, timeout: timeoutMs }, (err, out, errOut) =>
      err
        ? reject(new Error(`${err.killed ? `still running after ${timeoutMs} ms` : err.message}\n${errOut}`))
        : resolve(out),
    ),
  )
}

test('a process exits on its own once its calls are done', async () => {
  const order = await cashi.createOrder({ amount: 2_400_000, orderId: uniqueId() })
  const stdout = await runScript(
    `
    const { Cashi } = require('cashi')
    const cashi = new Cashi({ apiKey: ${JSON.stringify(sb.apiKey)}, baseUrl: ${JSON.stringify(sb.baseUrl)} })
    ;(async () => {
      const s = await cashi.checkStatus(${JSON.stringify(order.orderId)})
      const missing = await cashi.checkStatus('NONE-' + process.pid).catch((e) => e.code)
      const many = await Promise.all(Array.from({ length: 20 }, () => cashi.checkStatus(s.orderId)))
      const waited = await cashi.waitForPayment(s.orderId, { timeoutMs: 300 }).catch((e) => e.code)
      console.log(JSON.stringify([s.status, missing, many.length, waited]))
    })()
    `,
    20_000,
  )
  // A loop held open by the SDK would run into runScript's timeout instead.
  assert.deepEqual(JSON.parse(stdout), ['PENDING', 'not_found', 20, 'timeout'])
})

test('a process does not exit while a call is in flight, with nothing else to keep it', async () => {
  const order = await cashi.createOrder({ amount: 2_400_100, orderId: uniqueId() })
  await sb.fault({ kind: 'latency', path: 'check-status', latency_ms: 1500, count: 1 })
  // No timers, no sockets of its own: only the pending call keeps the process running.
  const stdout = await runScript(
    `
    const { Cashi } = require('cashi')
    const cashi = new Cashi({ apiKey: ${JSON.stringify(sb.apiKey)}, baseUrl: ${JSON.stringify(sb.baseUrl)} })
    cashi.checkStatus(${JSON.stringify(order.orderId)}).then((s) => console.log(JSON.stringify(s.status)))
    `,
    20_000,
  )
  // A process that exited before the delayed answer printed nothing.
  assert.equal(JSON.parse(stdout), 'PENDING')
})
