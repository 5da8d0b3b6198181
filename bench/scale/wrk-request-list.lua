-- Loaded by bench/scale/wrk-request-list.ts: each connection cycles through the requests listed
-- in the file BENCH_REQUEST_LIST (one "path<TAB>subscription key" per line), formatted once in
-- init so the load generator's own cost does not depend on the list; threads start at different
-- places. The summary line comes from bench/load/wrk-report.lua (BENCH_WRK_REPORT).
local list_path = os.getenv("BENCH_REQUEST_LIST")
local requests = {}
local count = 0
local i = 0

init = function(args)
  for line in io.lines(list_path) do
    local path, key = line:match("^(%S+)\t(%S+)$")
    if path then
      count = count + 1
      requests[count] = wrk.format("GET", path, { ["Ocp-Apim-Subscription-Key"] = key })
    end
  end
  if count == 0 then error("no requests in " .. list_path) end
  i = math.random(count) - 1
end

request = function()
  i = i + 1
  if i > count then i = 1 end
  return requests[i]
end

dofile(os.getenv("BENCH_WRK_REPORT"))
