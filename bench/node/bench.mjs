// The Cashi Node SDK against the HTTP clients Node merchants use today: built-in fetch,
// axios and undici.request. Every client sends the same requests (method, URL, x-api-key,
// accept, JSON body) and reads the JSON answer; 64 concurrent Promise loops for the
// concurrent figure, where the SDK's batch form (checkStatuses / createOrders) runs too.
// Prints one JSON record per line (bench/README.md).
//
//   node bench.mjs                 # every figure; settings from BENCH_* variables
//   node bench.mjs cold CLIENT     # one cold start (what the cold figure spawns)
//   node bench.mjs mem CLIENT      # RSS after BENCH_MEM_CALLS calls (what mem spawns)
//
// The SDK is loaded from BENCH_CASHI_NODE (a package directory; run.sh stages the release
// build there), else ../../bindings-node. With BENCH_CASHI_NODE_BASE (another package
// directory, e.g. built from an earlier commit) that package runs too, as client
// `sdk_base`, in turn with the others: two builds compared side by side in one run.
// Nothing heavy is imported statically, so the cold figure sees each library's own load
// time.

const T_START = performance.now()

import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const env = (name, dflt) => process.env[name] ?? dflt
const BASE_URL = env('BENCH_BASE_URL', 'http://127.0.0.1:8080/api')
const API_KEY = env('BENCH_API_KEY', 'CASHI-SANDBOX01')
const TARGET = env('BENCH_TARGET', 'static')
const SECONDS = Number(env('BENCH_SECONDS', '2'))
const ROUNDS = Number(env('BENCH_ROUNDS', '5'))
const CONC = Number(env('BENCH_CONC', '64'))
const COLD_RUNS = Number(env('BENCH_COLD_RUNS', '10'))
const MEM_CALLS = Number(env('BENCH_MEM_CALLS', '10000'))
const FIGURES = env('BENCH_FIGURES', 'seq,conc,webhook,cold,mem').split(',')
const SECRET = env('BENCH_WEBHOOK_SECRET', 'sk_5a4db0c5e0f1a2b3c4d5e6f708192a3b')
const SDK_DIR = env('BENCH_CASHI_NODE', path.join(HERE, '..', '..', 'bindings-node'))
const SDK_BASE_DIR = env('BENCH_CASHI_NODE_BASE', '')
// Seconds of calls before a client's first slice (0.05 s before its later ones); 0: none.
const WARMUP = Number(env('BENCH_WARMUP', '0.3'))
const CLIENTS = ['sdk', ...(SDK_BASE_DIR ? ['sdk_base'] : []), 'undici', 'fetch', 'axios']
// Figure 1's event row: the SDK with a listener of each of its events that does nothing
// ('sdk' has none, so its native side sends no event).
const SEQ_ONLY = ['sdk_listened']
// The SDK's batch form, in the concurrent figure only: BATCH_PER_CONC x CONC items per
// batch (the core keeps 64 in flight; a batch of only 64 would leave none in flight while
// the last answers of one batch are read and the next is prepared).
const BATCH_PER_CONC = 4
const CONC_CLIENTS = [...CLIENTS, 'sdk_batch']
const HEADERS = { 'x-api-key': API_KEY, accept: 'application/json' }
const JSON_HEADERS = { ...HEADERS, 'content-type': 'application/json' }

let counter = 0
// A fresh order: unique id, amounts 100 apart so the sandbox never runs out of codes.
function nextOrder() {
  const n = counter++
  return { amount: 10000 + 100 * (n % 90000), orderId: `B-js-${process.pid}-${n}` }
}

function record(fields) {
  process.stdout.write(JSON.stringify({ lang: 'node', ...fields }) + '\n')
}

// Each client: { create() -> order id, status(id) }; the batch form: { batch(op, id, n) }.
async function makeClient(name) {
  if (name === 'sdk' || name === 'sdk_base' || name === 'sdk_listened') {
    const { Cashi } = createRequire(import.meta.url)(name === 'sdk_base' ? SDK_BASE_DIR : SDK_DIR)
    const c = new Cashi({ apiKey: API_KEY, baseUrl: BASE_URL })
    if (name === 'sdk_listened') {
      for (const event of ['request', 'response', 'retry']) c.on(event, () => {})
    }
    return {
      create: async () => (await c.createOrder(nextOrder())).orderId,
      status: async (id) => {
        await c.checkStatus(id)
      },
    }
  }
  if (name === 'sdk_batch') {
    const { Cashi } = createRequire(import.meta.url)(SDK_DIR)
    const c = new Cashi({ apiKey: API_KEY, baseUrl: BASE_URL })
    return {
      // Each item's outcome: true, or the reason it failed.
      batch: async (op, id, n) => {
        const items =
          op === 'create'
            ? await c.createOrders(Array.from({ length: n }, nextOrder))
            : await c.checkStatuses(Array.from({ length: n }, () => id))
        return items.map((item) => item.status === 'fulfilled' || item.reason)
      },
    }
  }
  if (name === 'fetch') {
    const ok = (r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`)
      return r.json()
    }
    return {
      create: async () => {
        const { amount, orderId } = nextOrder()
        const r = await fetch(`${BASE_URL}/create-order`, {
          method: 'POST',
          headers: JSON_HEADERS,
          body: JSON.stringify({ amount, order_id: orderId }),
        })
        return (await ok(r)).orderId
      },
      status: async (id) => (await ok(await fetch(`${BASE_URL}/check-status/${id}`, { headers: HEADERS }))).status,
    }
  }
  if (name === 'undici') {
    const { request } = await import('undici')
    const ok = async ({ statusCode, body }) => {
      if (statusCode < 200 || statusCode > 299) {
        await body.dump()
        throw new Error(`HTTP ${statusCode}`)
      }
      return body.json()
    }
    return {
      create: async () => {
        const { amount, orderId } = nextOrder()
        const r = await request(`${BASE_URL}/create-order`, {
          method: 'POST',
          headers: JSON_HEADERS,
          body: JSON.stringify({ amount, order_id: orderId }),
        })
        return (await ok(r)).orderId
      },
      status: async (id) => (await ok(await request(`${BASE_URL}/check-status/${id}`, { headers: HEADERS }))).status,
    }
  }
  if (name === 'axios') {
    const { default: axios } = await import('axios')
    // Node 20's global agent keeps connections alive with no socket limit.
    const ax = axios.create({ baseURL: BASE_URL, headers: HEADERS })
    return {
      create: async () => {
        const { amount, orderId } = nextOrder()
        return (await ax.post('/create-order', { amount, order_id: orderId })).data.orderId
      },
      status: async (id) => (await ax.get(`/check-status/${id}`)).data.status,
    }
  }
  throw new Error(`unknown client ${name}`)
}

function pct(sorted, p) {
  if (sorted.length === 0) return 0
  return sorted[Math.round((p / 100) * (sorted.length - 1))] * 1000
}

async function loop(fn, until, lat, errors) {
  for (;;) {
    const t = performance.now()
    if (t >= until && (lat.length || errors.length)) return // a slice has at least one call
    try {
      await fn()
    } catch (e) {
      errors.push(e)
      continue
    }
    lat.push(performance.now() - t)
  }
}

// The batch form: one batch after another until the deadline. Every item of a batch is
// counted with the batch's time as its latency (the batch resolves when its last answer is
// in), so its p50 is not comparable with one call's.
async function batchLoop(client, op, statusId, until, lat, errors) {
  for (;;) {
    const t = performance.now()
    if (t >= until && (lat.length || errors.length)) return
    const outcomes = await client.batch(op, statusId, BATCH_PER_CONC * CONC)
    const took = performance.now() - t
    for (const outcome of outcomes) {
      if (outcome === true) lat.push(took)
      else errors.push(outcome)
    }
  }
}

// One slice: a warm-up, then `seconds` of calls; returns { lat, errors, elapsed }.
async function measure(figure, op, statusId, client, warm, seconds) {
  const fn = op === 'create' ? client.create : () => client.status(statusId)
  const loops = figure === 'seq' ? 1 : CONC
  const run = async (seconds) => {
    const lat = []
    const errors = []
    const start = performance.now()
    const until = start + seconds * 1000
    if (client.batch) {
      await batchLoop(client, op, statusId, until, lat, errors)
    } else {
      await Promise.all(Array.from({ length: loops }, () => loop(fn, until, lat, errors)))
    }
    return { lat, errors, elapsed: (performance.now() - start) / 1000 }
  }
  if (warm > 0) await run(warm)
  return run(seconds)
}

function report(figure, name, op, { lat, errors, elapsed, slices }) {
  lat.sort((a, b) => a - b)
  if (errors.length) console.error(`node ${figure} ${name} ${op}: ${errors.length} errors, first: ${errors[0]}`)
  record({
    target: TARGET,
    figure,
    client: name,
    op,
    n: lat.length,
    errors: errors.length,
    rate: lat.length / elapsed,
    p50_us: pct(lat, 50),
    p99_us: pct(lat, 99),
    slice_rates: slices.map((x) => x.rate),
    slice_p50_us: slices.map((x) => x.p50),
  })
}

const BODY = Buffer.from(
  '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-20261125-0042","status":"SETTLED",' +
    '"amount":15023,"payment_method":"QRIS","paid_at":"2026-11-25 15:04:05",' +
    '"transaction_id":"31277571482"}}',
)

async function webhook() {
  const crypto = await import('node:crypto')
  const { Webhook } = createRequire(import.meta.url)(SDK_DIR)
  const sig = crypto.createHmac('sha256', SECRET).update(BODY).digest('hex')
  const w = new Webhook(SECRET)
  const sdk = () => w.verify(BODY, sig)
  const base = SDK_BASE_DIR ? new (createRequire(import.meta.url)(SDK_BASE_DIR).Webhook)(SECRET) : null
  // What Express handlers do without the SDK (express.raw() gives a Buffer).
  const native = () => {
    const expected = Buffer.from(crypto.createHmac('sha256', SECRET).update(BODY).digest('hex'))
    const given = Buffer.from(sig)
    if (given.length !== expected.length || !crypto.timingSafeEqual(expected, given)) {
      throw new Error('bad signature')
    }
    return JSON.parse(BODY)
  }
  if (sdk().amount !== 15023 || native().data.amount !== 15023) throw new Error('webhook check')
  // Round-robin, as the other figures: ROUNDS slices each, in turn.
  const clients = base ? { sdk, sdk_base: () => base.verify(BODY, sig), native } : { sdk, native }
  const calls = Object.fromEntries(Object.keys(clients).map((c) => [c, 0]))
  const spentMs = Object.fromEntries(Object.keys(clients).map((c) => [c, 0]))
  const sliceRates = Object.fromEntries(Object.keys(clients).map((c) => [c, []]))
  const sliceMs = (Math.min(SECONDS, 1.5) * 1000) / ROUNDS
  for (let round = 0; round < ROUNDS; round++) {
    for (const [client, fn] of Object.entries(clients)) {
      const start = performance.now()
      let n = 0
      while (performance.now() < start + sliceMs) {
        for (let i = 0; i < 1000; i++) fn()
        n += 1000
      }
      const ms = performance.now() - start
      calls[client] += n
      spentMs[client] += ms
      sliceRates[client].push(n / (ms / 1000))
    }
  }
  for (const client of Object.keys(clients)) {
    const n = calls[client]
    const secs = spentMs[client] / 1000
    record({
      target: 'none',
      figure: 'webhook',
      client,
      op: 'verify',
      n,
      errors: 0,
      rate: n / secs,
      p50_us: (secs * 1e6) / n,
      slice_rates: sliceRates[client],
    })
  }
}

function memoryKb() {
  const status = readFileSync('/proc/self/status', 'utf8')
  const field = (f) => Number(status.match(new RegExp(`^${f}:\\s+(\\d+)`, 'm'))[1])
  return { rss: field('VmRSS'), hwm: field('VmHWM') }
}

function child(mode, name) {
  const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), mode, name], { encoding: 'utf8' })
  try {
    return JSON.parse(out.stdout.trim().split('\n').pop())
  } catch {
    console.error(`node ${mode} ${name} failed: ${out.stderr.slice(-500)}`)
    return {}
  }
}

const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)]

function cold() {
  // The clients take turns, run after run, so a change in load hits them all alike.
  const wall = Object.fromEntries(CLIENTS.map((n) => [n, []]))
  const inproc = Object.fromEntries(CLIENTS.map((n) => [n, []]))
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const name of CLIENTS) {
      const t = performance.now()
      const r = child('cold', name)
      wall[name].push(performance.now() - t)
      inproc[name].push(r.in_process_ms ?? NaN)
    }
  }
  for (const name of CLIENTS) {
    record({
      target: TARGET,
      figure: 'cold',
      client: name,
      op: 'first_call',
      n: COLD_RUNS,
      wall_ms: median(wall[name]),
      in_process_ms: median(inproc[name]),
    })
  }
}

function mem() {
  for (const name of CLIENTS) {
    const r = child('mem', name)
    record({
      target: TARGET,
      figure: 'mem',
      client: name,
      op: 'create',
      n: MEM_CALLS,
      errors: r.errors,
      rss_kb: r.rss_kb,
      hwm_kb: r.hwm_kb,
      rss_before_kb: r.rss_before_kb,
    })
  }
}

async function main() {
  const [mode, name] = process.argv.slice(2)
  if (mode === 'cold') {
    const client = await makeClient(name)
    await client.create()
    console.log(JSON.stringify({ in_process_ms: performance.now() - T_START }))
    process.exit(0) // keep-alive sockets would hold the loop open
  }
  if (mode === 'mem') {
    const before = memoryKb().rss
    const client = await makeClient(name)
    let errors = 0
    for (let i = 0; i < MEM_CALLS; i++) {
      try {
        await client.create()
      } catch {
        errors++
      }
    }
    const { rss, hwm } = memoryKb()
    console.log(JSON.stringify({ rss_kb: rss, hwm_kb: hwm, rss_before_kb: before, errors }))
    process.exit(0)
  }
  const clients = {}
  for (const name of [...CLIENTS, ...SEQ_ONLY]) clients[name] = await makeClient(name)
  const statusId = await clients.sdk.create() // a real order on the sandbox
  // Round-robin: every client of a figure runs ROUNDS slices of SECONDS / ROUNDS in turn,
  // so a change in the machine's load hits all of them alike.
  clients.sdk_batch = await makeClient('sdk_batch')
  for (const figure of ['seq', 'conc']) {
    if (!FIGURES.includes(figure)) continue
    const names = figure === 'seq' ? [...CLIENTS, ...SEQ_ONLY] : CONC_CLIENTS
    for (const op of ['create', 'status']) {
      const acc = Object.fromEntries(names.map((n) => [n, { lat: [], errors: [], elapsed: 0, slices: [] }]))
      for (let round = 0; round < ROUNDS; round++) {
        for (const name of names) {
          const warm = round === 0 ? WARMUP : Math.min(WARMUP, 0.05)
          const r = await measure(figure, op, statusId, clients[name], warm, SECONDS / ROUNDS)
          const a = acc[name]
          for (const x of r.lat) a.lat.push(x)
          a.errors.push(...r.errors)
          a.elapsed += r.elapsed
          // Each slice's own calls/s and p50: the report shows how far they move.
          a.slices.push({
            rate: r.lat.length / r.elapsed,
            p50: pct(
              [...r.lat].sort((x, y) => x - y),
              50,
            ),
          })
        }
      }
      for (const name of names) report(figure, name, op, acc[name])
    }
  }
  if (FIGURES.includes('webhook')) await webhook()
  if (FIGURES.includes('cold')) cold()
  if (FIGURES.includes('mem')) mem()
  process.exit(0)
}

await main()
