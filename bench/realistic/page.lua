-- wrk script for bench/realistic: GET the merchant's page, and keep, per response, the
-- worker (x-pid) and the Cashi call's duration inside it (x-call-us), in the order each
-- wrk thread received them. At the end, prints one JSON line (requests, errors, rate and
-- wrk's page latency percentiles, µs) and writes every (thread, pid, call µs) to the file
-- WRK_CALLS names, one per line, for measure.py.
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

-- Per thread (each has its own Lua state): the responses' pids and call durations.
pids = {}
calls = {}
failed = ""

function response(status, headers, body)
  if status == 200 then
    pids[#pids + 1] = headers["x-pid"] or "?"
    calls[#calls + 1] = tonumber(headers["x-call-us"]) or -1
  elseif failed == "" then
    failed = string.format("HTTP %d: %s", status, string.sub(body or "", 1, 300))
  end
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("WRK_CALLS"), "w"))
  for _, thread in ipairs(threads) do
    local tid, p, c = thread:get("tid"), thread:get("pids"), thread:get("calls")
    for i = 1, #c do
      out:write(string.format("%d %s %d\n", tid, p[i], c[i]))
    end
  end
  out:close()
  local failures = {}
  for _, thread in ipairs(threads) do
    local f = thread:get("failed")
    if f ~= "" then failures[#failures + 1] = f end
  end
  if #failures > 0 then
    io.stderr:write("first failed page: " .. failures[1] .. "\n")
  end
  local e = summary.errors
  io.write(string.format(
    '{"n":%d,"rate":%.2f,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"p50_us":%.1f,"p90_us":%.1f,"p99_us":%.1f,"max_us":%.1f,"mean_us":%.1f}\n',
    summary.requests, summary.requests / (summary.duration / 1e6),
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
