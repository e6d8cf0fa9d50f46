-- wrk script for the floor: the same requests as the SDK sends.
--   WRK_OP=create  POST /create-order, a fresh order id and amount per request
--   WRK_OP=status  GET /check-status/$WRK_ORDER_ID
-- Prints one JSON line at the end (the bench's record format, less lang/target/figure).
local op = os.getenv("WRK_OP") or "status"
local key = os.getenv("WRK_API_KEY") or "CASHI-SANDBOX01"
local order_id = os.getenv("WRK_ORDER_ID") or "INV-1"
local counter = 0
-- `tid` is a global: setup() sets it in each thread's own Lua state (a local would hide it).
local nonce = os.getenv("WRK_NONCE") or tostring(os.time())
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["x-api-key"] = key
  wrk.headers["accept"] = "application/json"
  if op == "create" then
    wrk.method = "POST"
    wrk.headers["content-type"] = "application/json"
  else
    wrk.method = "GET"
  end
end

function request()
  if op == "create" then
    counter = counter + 1
    local body = string.format('{"amount":%d,"order_id":"B-wrk-%s-%d-%d"}',
      10000 + 100 * ((counter * 7 + (tid or 0)) % 90000), nonce, tid or 0, counter)
    return wrk.format(nil, wrk.path .. "create-order", nil, body)
  end
  return wrk.format(nil, wrk.path .. "check-status/" .. order_id)
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"n":%d,"errors":%d,"rate":%.1f,"p50_us":%.1f,"p99_us":%.1f}\n',
    summary.requests, errors, summary.requests / secs,
    latency:percentile(50), latency:percentile(99)))
end
