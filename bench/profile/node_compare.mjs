// Two builds of the Node package, or the batch form against 64 Promise loops, by what the
// load of a shared machine moves least (bench/FINDINGS.md §8, §10): the process's CPU time
// per call (process.cpuUsage: user + system, every thread), in alternated rounds, and the
// instructions of N calls counted by callgrind. Against any server (BENCH_BASE_URL; the
// static nginx of bench/run.sh).
//
//   node bench/profile/node_compare.mjs cpu BEFORE_DIR AFTER_DIR   # createOrder, checkStatus, Webhook.verify
//   node bench/profile/node_compare.mjs batch DIR                  # checkStatuses / createOrders, 256 a call
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//     node bench/profile/node_compare.mjs calls DIR verify|create|status N
//                                       # instructions of N calls: run with N and with 0, subtract
//
// A DIR is a package directory as bench/run.sh stages it (bench/.work/node-sdk/cashi).
import { createRequire } from 'node:module'
import crypto from 'node:crypto'

const require = createRequire(import.meta.url)
const BASE = process.env.BENCH_BASE_URL ?? 'http://127.0.0.1:8080/api'
const KEY = process.env.BENCH_API_KEY ?? 'CASHI-SANDBOX01'
const BODY = Buffer.from(
  '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-20261125-0042","status":"SETTLED","amount":15023,"payment_method":"QRIS","paid_at":"2026-11-25 15:04:05","transaction_id":"31277571482"}}',
)
const SECRET = 'sk_5a4db0c5e0f1a2b3c4d5e6f708192a3b'
const SIG = crypto.createHmac('sha256', SECRET).update(BODY).digest('hex')

let n = 0
const nextOrder = () => ({ amount: 10000 + 100 * (n % 90000), orderId: `P-${process.pid}-${n++}` })

/** The calls of one package: each a function making one call. */
function calls(dir) {
  const { Cashi, Webhook } = require(dir)
  const cashi = new Cashi({ apiKey: KEY, baseUrl: BASE })
  const webhook = new Webhook(SECRET)
  return {
    cashi,
    create: () => cashi.createOrder(nextOrder()),
    status: () => cashi.checkStatus('INV-20261125-0042'),
    verify: () => webhook.verify(BODY, SIG),
  }
}

async function cpuPerCall(count, run) {
  const cpu = process.cpuUsage()
  const start = performance.now()
  await run(count)
  const used = process.cpuUsage(cpu)
  return { cpu: (used.user + used.system) / count, wall: ((performance.now() - start) * 1000) / count }
}

const oneAtATime = (call) => async (count) => {
  for (let i = 0; i < count; i++) await call()
}
const loops64 = (call) => async (count) => {
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      for (let i = 0; i < count / 64; i++) await call()
    }),
  )
}
const batches = (batch) => async (count) => {
  for (let i = 0; i < count / 256; i++) {
    const items = await batch(256)
    const failed = items.find((item) => item.status !== 'fulfilled')
    if (failed) throw failed.reason
  }
}

/** Runs each case three times, in turns, and prints its CPU and wall time per call. */
async function compare(cases) {
  for (const [count, run] of Object.values(cases)) await run(Math.min(count, 1024)) // warm-up
  const out = {}
  for (let round = 0; round < 3; round++) {
    for (const [name, [count, run]] of Object.entries(cases)) {
      ;(out[name] ??= []).push(await cpuPerCall(count, run))
    }
  }
  for (const [name, rounds] of Object.entries(out)) {
    const show = (key) => rounds.map((r) => r[key].toFixed(1)).join(' / ')
    console.log(`${name.padEnd(28)} CPU ${show('cpu')} µs   wall ${show('wall')} µs`)
  }
}

const [mode, ...args] = process.argv.slice(2)
if (mode === 'cpu') {
  const [before, after] = args.map(calls)
  await compare({
    'createOrder, before': [3000, oneAtATime(before.create)],
    'createOrder, after': [3000, oneAtATime(after.create)],
    'checkStatus, before': [3000, oneAtATime(before.status)],
    'checkStatus, after': [3000, oneAtATime(after.status)],
    'Webhook.verify, before': [30000, oneAtATime(before.verify)],
    'Webhook.verify, after': [30000, oneAtATime(after.verify)],
  })
} else if (mode === 'batch') {
  const { cashi, create, status } = calls(args[0])
  await compare({
    'checkStatus, 64 Promises': [12800, loops64(status)],
    'checkStatuses, 256 a call': [
      12800,
      batches((k) => cashi.checkStatuses(Array.from({ length: k }, () => 'INV-20261125-0042'))),
    ],
    'createOrder, 64 Promises': [12800, loops64(create)],
    'createOrders, 256 a call': [12800, batches((k) => cashi.createOrders(Array.from({ length: k }, nextOrder)))],
  })
} else if (mode === 'calls') {
  const [dir, kind, count] = args
  const call = calls(dir)[kind]
  for (let i = 0; i < 2000; i++) await call() // warm-up, counted in both runs
  for (let i = 0; i < Number(count); i++) await call()
} else {
  console.error('usage: node_compare.mjs cpu BEFORE_DIR AFTER_DIR | batch DIR | calls DIR verify|create|status N')
  process.exit(2)
}
process.exit(0)
