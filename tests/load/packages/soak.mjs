// Node soak against a running sandbox (scripts/robustness.sh), from a project where the
// `cashi` tarball is installed:
//   CASHI_API_KEY=... CASHI_BASE_URL=... node soak.mjs [CALLS]
// Mixed calls on one client with resident memory after warm-up and at the end, then 1,000
// concurrent calls. Prints `soak:` and `concurrency:` lines; exits non-zero on failure.
import { createRequire } from 'node:module'

const require = createRequire(`${process.cwd()}/`)
const { Cashi, Webhook, CashiError, sign } = require('cashi')

const calls = Number(process.argv[2] ?? 20000)
// Below this, V8's heap can still be growing after the warm-up and the bytes per call
// measure that, not the package (3,000 calls read as 2.2 KB per call, 10,000 can exceed the
// 512 B bound; 20,000 read as about 130 B).
const FEWEST_CALLS = 20000
if (!Number.isInteger(calls) || calls < FEWEST_CALLS) {
  console.error(`soak: node needs at least ${FEWEST_CALLS} calls to judge memory, got ${process.argv[2]}`)
  process.exit(2)
}
const cashi = new Cashi()
const webhook = new Webhook('sk_soak')
const body = JSON.stringify({ event: 'PAYMENT_SETTLED', data: { order_id: 'SOAK', status: 'SETTLED', amount: 15023 } })
const signature = sign('sk_soak', body)
const rssKib = () => Math.round(process.memoryUsage().rss / 1024)

const warm = Math.floor(calls / 10)
let start = 0
for (let i = 0; i < calls; i++) {
  if (i === warm) {
    globalThis.gc?.()
    start = rssKib()
  }
  switch (i % 4) {
    case 0:
      await cashi.createOrder({ amount: 40000 + 100 * Math.floor(i / 4), orderId: `NODESOAK-${process.pid}-${i}` })
      break
    case 1:
      await cashi.checkStatus(`NODESOAK-${process.pid}-${i - 1}`)
      break
    case 2:
      try {
        await cashi.checkStatus('MISSING')
        throw new Error('MISSING was found')
      } catch (e) {
        if (!(e instanceof CashiError) || e.code !== 'not_found') throw e
      }
      break
    default:
      webhook.verify(body, signature)
  }
}
globalThis.gc?.()
const end = rssKib()
const perCall = ((end - start) * 1024) / (calls - warm)
console.log(`soak: node, ${calls} calls, RSS after warm-up ${start} KiB, at the end ${end} KiB (${perCall.toFixed(1)} B/call)`)
if (perCall > 512) throw new Error(`memory grew ${perCall.toFixed(0)} bytes per call`)

const order = await cashi.createOrder({ amount: 15000, orderId: `NODECONC-${process.pid}` })
const statuses = await Promise.all(Array.from({ length: 1000 }, () => cashi.checkStatus(order.orderId)))
const wrong = statuses.filter((s) => s.orderId !== order.orderId || s.amount !== order.amount).length
console.log(`concurrency: node, 1000 concurrent calls on one client, ${wrong} wrong`)
if (wrong) process.exit(1)
