-- wrk script for the search section of `make bench` (bench/search_bench.py).
--
-- BENCH_QUERIES names a file of search paths (/search/?q=...), one a line, drawn from the
-- demo data's vocabulary: single words, pairs, a phrase, a typo, a facet. Each request
-- takes a random line and adds a random `r` parameter the view ignores, so no page cache
-- can answer it. done() prints one JSON line for search.py.

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  paths = {}
  for line in io.lines(os.getenv("BENCH_QUERIES")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end

request = function()
  local path = paths[math.random(1, #paths)] .. "&r=" .. math.random(1, 2147483647)
  return wrk.format(nil, path)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, '
      .. '"errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status
  ))
end
