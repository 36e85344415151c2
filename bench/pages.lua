-- wrk script for `make bench` (bench/run.py).
--
-- With BENCH_PAGES=N set, every request asks for a random page 2..N of the URL's list
-- plus a random `r` parameter the views ignore, so each request names a page no cache
-- has seen and the site must render it. Without it, wrk repeats the URL as given.
-- done() prints one JSON line that bench/run.py reads.

local pages = tonumber(os.getenv("BENCH_PAGES") or "0")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  hits = 0
  separator = wrk.path:find("?", 1, true) and "&" or "?"
end

if pages > 1 then
  request = function()
    local path = wrk.path .. separator .. "page=" .. math.random(2, pages)
      .. "&r=" .. math.random(1, 2147483647)
    return wrk.format(nil, path)
  end

  response = function(status, headers, body)
    if headers["X-Page-Cache"] == "hit" then
      hits = hits + 1
    end
  end
end

function done(summary, latency, requests)
  local hits_total = 0
  for _, thread in ipairs(threads) do
    hits_total = hits_total + (thread:get("hits") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, '
      .. '"errors": %d, "non_2xx": %d, "cache_hits": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status, hits_total
  ))
end
