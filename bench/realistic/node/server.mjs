// The merchant's page under Express (one Node process): one Cashi create-order per request.
//
// REALBENCH_CLIENT picks how the call is made, as merchants write it: `sdk` (one
// `new Cashi(...)` for the process), `fetch` (Node's built-in fetch, whose global dispatcher
// keeps connections), `axios` (`axios.post`, over Node's global https agent, which keeps
// connections since Node 19), or `none` (no call: the page's own cost). Express, axios and
// the SDK come from REALBENCH_NODE_PROJECT, a scratch npm project run.sh installs them in.
// The trust of the benchmark's CA comes from NODE_EXTRA_CA_CERTS (fetch, axios) and
// CASHI_CA_BUNDLE (the SDK). Each answer carries x-call-us (the call's duration, µs) and
// x-pid; GET /ready answers without a call.
import { createRequire } from 'node:module'
import path from 'node:path'

const env = (name) => {
  const v = process.env[name]
  if (!v) throw new Error(`${name}: required (run.sh sets it)`)
  return v
}
const BASE_URL = env('REALBENCH_BASE_URL')
const API_KEY = env('REALBENCH_API_KEY')
const CLIENT = env('REALBENCH_CLIENT')
const PORT = Number(env('REALBENCH_PORT'))
const require = createRequire(path.join(env('REALBENCH_NODE_PROJECT'), 'package.json'))
const express = require('express')
const HEADERS = { 'x-api-key': API_KEY, accept: 'application/json' }
const CREATE_URL = `${BASE_URL}/create-order`

let seq = 0
function nextOrder() {
  const n = seq++
  return { amount: 10000 + 100 * (n % 90000), orderId: `RB-js-${process.pid}-${n}` }
}

function orderId(answer) {
  if (answer.success !== true) {
    throw new Error(`create-order: not a success: ${JSON.stringify(answer).slice(0, 200)}`)
  }
  return answer.orderId ?? answer.order_id
}

function makeCall() {
  switch (CLIENT) {
    case 'sdk': {
      const { Cashi } = require('cashi')
      const cashi = new Cashi({ apiKey: API_KEY, baseUrl: BASE_URL })
      return async () => (await cashi.createOrder(nextOrder())).orderId
    }
    case 'fetch':
      return async () => {
        const { amount, orderId: id } = nextOrder()
        const r = await fetch(CREATE_URL, {
          method: 'POST',
          headers: { ...HEADERS, 'content-type': 'application/json' },
          body: JSON.stringify({ amount, order_id: id }),
        })
        if (!r.ok) throw new Error(`create-order: HTTP ${r.status}`)
        return orderId(await r.json())
      }
    case 'axios': {
      const axios = require('axios')
      return async () => {
        const { amount, orderId: id } = nextOrder()
        const r = await axios.post(CREATE_URL, { amount, order_id: id }, { headers: HEADERS, timeout: 30000 })
        return orderId(r.data)
      }
    }
    case 'none':
      return null
    default:
      throw new Error(`REALBENCH_CLIENT: unknown client ${JSON.stringify(CLIENT)} for express`)
  }
}

const call = makeCall()
const app = express()
app.disable('x-powered-by')
app.disable('etag')

app.get('/ready', (req, res) => {
  res.set({ 'x-call-us': '0', 'x-pid': String(process.pid) }).json({ ok: true })
})

app.get('/', async (req, res) => {
  const t0 = process.hrtime.bigint()
  try {
    if (call) await call()
  } catch (e) {
    res.status(500).type('text').send(`${e?.name}: ${e?.message}`.replaceAll(API_KEY, '<key>').slice(0, 1000))
    return
  }
  const us = (process.hrtime.bigint() - t0) / 1000n
  res.set({ 'x-call-us': String(us), 'x-pid': String(process.pid) }).json({ ok: true })
})

app.listen(PORT, '127.0.0.1')
