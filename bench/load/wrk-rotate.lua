-- Warm-up script of bench/load/wrk.ts: cycles through the paths given after `--`, so one wrk run
-- warms an arm for every response size. Headers given with -H apply to every request.
local paths = {}
local i = 0

function init(args)
  for _, p in ipairs(args) do paths[#paths + 1] = p end
end

function request()
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end
