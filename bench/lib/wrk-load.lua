-- The wrk side of bench/lib/load-wrk.ts. Arguments (after `--`): <request file> <threads> [<pool file> <body|bearer>].
-- The request file holds the method, the path, then one "name: value" header per line, then an empty line and the
-- fixed body (if any). With a pool, each wrk thread takes every n-th line of it (its own share, so no line goes twice)
-- as the whole body or as `Authorization: Bearer <line>`; a thread whose share is used up stops, and `done` says so.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function read_request(file)
  local lines = {}
  for line in io.lines(file) do lines[#lines + 1] = line end
  local method, path, headers, body = lines[1], lines[2], {}, nil
  local i = 3
  while i <= #lines and lines[i] ~= "" do
    local name, value = lines[i]:match("^([^:]+): (.*)$")
    headers[name] = value
    i = i + 1
  end
  if i < #lines then body = table.concat(lines, "\n", i + 1) end
  return method, path, headers, body
end

function init(args)
  method, path, headers, body = read_request(args[1])
  pool, pool_as, next_line, exhausted = nil, args[4], 0, 0
  if args[3] ~= nil then
    pool = {}
    local k, n = 0, tonumber(args[2])
    for line in io.lines(args[3]) do
      if line ~= "" then
        if k % n == id then pool[#pool + 1] = line end
        k = k + 1
      end
    end
  end
  if pool == nil then fixed = wrk.format(method, path, headers, body) end
end

function request()
  if pool == nil then return fixed end
  next_line = next_line + 1
  local line = pool[next_line]
  if line == nil then
    exhausted = 1
    wrk.thread:stop()
    line = pool[#pool]
  end
  if pool_as == "body" then return wrk.format(method, path, headers, line) end
  local h = {}
  for name, value in pairs(headers) do h[name] = value end
  h["Authorization"] = "Bearer " .. line
  return wrk.format(method, path, h, body)
end

function done(summary, latency, requests)
  local used_up = 0
  for _, thread in ipairs(threads) do used_up = used_up + (thread:get("exhausted") or 0) end
  local e = summary.errors
  io.write(string.format(
    "PIMS_WRK_RESULT {\"requests\":%d,\"durationUs\":%d,\"p50Us\":%d,\"p99Us\":%d,\"status\":%d,\"connect\":%d,\"read\":%d,\"write\":%d,\"timeout\":%d,\"exhausted\":%d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout, used_up))
end
