-- wrk script of `make bench-http` (bench/http.sh) for one page: counts the responses outside
-- 2xx (wrk itself counts only >= 400) and, when the run is done, prints one line that
-- http.sh reads: requests, requests/s, p50 and p95 in ms, non-2xx responses, socket errors
-- (connect, read, write, time-out) and the mean size of a response in bytes.
-- bench/autosave.lua loads this file and adds the POSTs.
local threads = {}

function setup(thread)
  thread:set("id", #threads)  -- 0, 1, ...: autosave.lua shares the questions out by it
  table.insert(threads, thread)
end

non2xx = 0

function count(status)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function response(status, headers, body)
  count(status)
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    "bench-wrk: requests=%d rps=%.2f p50=%.2f p95=%.2f non2xx=%d socket=%d bytes=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    bad, e.connect + e.read + e.write + e.timeout,
    summary.requests > 0 and math.floor(summary.bytes / summary.requests) or 0))
end
