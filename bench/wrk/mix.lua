-- A request mix for wrk: cycles through the requests in a file, one per line as
-- "path<TAB>accept", and prints one JSON line of results at the end.
--
--   wrk -c8 -t2 -d20s --timeout 30s -s bench/wrk/mix.lua http://127.0.0.1:PORT -- FILE THREADS
--
-- Each thread starts at a different offset in the file (its connections then interleave
-- in it). A response is a success when its status is 2xx or 3xx (wrk follows no
-- redirects, and 303 is the answer the resource mix asks for); any other status is a
-- failure. wrk's socket errors (connect, read, write) and timeouts are errors too.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, thread_count = args[1], tonumber(args[2]) or 1
  mix = {}
  for line in io.lines(file) do
    local path, accept = line:match("^([^\t]+)\t([^\t]+)$")
    if path then
      mix[#mix + 1] = wrk.format("GET", path, { ["Accept"] = accept })
    end
  end
  if #mix == 0 then
    error("no requests in " .. file)
  end
  position = (id * math.floor(#mix / thread_count)) % #mix
  successes, redirects, failures = 0, 0, 0
end

function request()
  position = position % #mix + 1
  return mix[position]
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    successes = successes + 1
  elseif status >= 300 and status < 400 then
    redirects = redirects + 1
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local ok, redirected, failed = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("successes")
    redirected = redirected + thread:get("redirects")
    failed = failed + thread:get("failures")
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local ms = function(microseconds) return microseconds / 1000 end
  io.write(string.format(
    'BENCH-RESULT {"requests": %d, "duration_s": %.3f, "ok": %d, "redirects": %d, ' ..
    '"failed_status": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"timeouts": %d, "errors": %d, "throughput_rps": %.3f, "latency_mean_ms": %.3f, ' ..
    '"latency_p50_ms": %.3f, "latency_p90_ms": %.3f, "latency_p99_ms": %.3f, ' ..
    '"latency_max_ms": %.3f}\n',
    summary.requests, seconds, ok, redirected, failed, e.connect, e.read, e.write,
    e.timeout, failed + e.connect + e.read + e.write + e.timeout,
    (ok + redirected) / seconds, ms(latency.mean), ms(latency:percentile(50)),
    ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max)))
end
