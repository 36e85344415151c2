-- wrk script for `make bench` (bench/run.py).
--
-- With BENCH_PAGES=N set, every request asks for a random page 2..N of the URL's list
-- plus a random `r` parameter the views ignore, so each request names a page no cache
-- has seen and the site must render it (bench/run.py checks such pages are misses).
-- Without it, wrk repeats the URL as given. done() prints one JSON line for run.py.

local pages = tonumber(os.getenv("BENCH_PAGES") or "0")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  separator = wrk.path:find("?", 1, true) and "&" or "?"
end

if pages > 1 then
  request = function()
    local path = wrk.path .. separator .. "page=" .. math.random(2, pages)
      .. "&r=" .. math.random(1, 2147483647)
    return wrk.format(nil, path)
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, '
      .. '"errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status
  ))
end
