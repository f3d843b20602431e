-- wrk reporter: at the end of a run, print one JSON line prefixed with "wrk-json " that bench/run parses.
-- It defines only done(), so wrk keeps its fast C path for building requests and reading responses.
--
-- Fields: requests completed, duration_s, rps, latency percentiles in milliseconds, and wrk's error counts.
-- "status" is what wrk prints as "Non-2xx or 3xx responses" (it counts every status >= 400); "timeout" counts
-- requests that got no answer within wrk's timeout, which never show up in the latency figures.

function done(summary, latency, requests)
  local e = summary.errors
  local duration_s = summary.duration / 1e6
  local function ms(us) return us / 1000 end
  io.write(string.format(
    'wrk-json {"requests":%d,"duration_s":%.3f,"rps":%.1f,"bytes":%d,' ..
    '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, duration_s, summary.requests / duration_s, summary.bytes,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)),
    ms(latency.max), ms(latency.mean),
    e.connect, e.read, e.write, e.status, e.timeout))
end
