/**
 * The Lua scripts of the Redis counter store (redis-counter-store.ts): each CounterStore
 * operation is one script, so a check and its count are one atomic step in Redis whichever
 * gateway sends them. They keep the in-memory store's model (memory-counter-store.ts) exactly:
 * a rate-limit key is a log of time buckets a hundredth of its first window wide, each bucket
 * remembering its latest call; a quota key is one fixed-period counter.
 *
 * Values are space-separated numbers written with %.17g (exact for every double; `inf` for
 * Infinity), which Lua parses back without loss:
 *   rate-limit key: `width retain start last count start last count …` (buckets oldest first)
 *   quota key:      `periodStart periodEnd count`
 * Every number is the caller's clock (milliseconds since the epoch), never Redis' own; expiry
 * times are relative (PX), computed from the caller's `now`, plus `graceMs` for clock skew.
 */

/** Parsing and printing numbers, shared by every script. */
const numbers = `
local function num(s)
  if s == 'inf' then return math.huge end
  if s == '-inf' then return -math.huge end
  local n = tonumber(s)
  if n == nil then error('gatehouse counters: not a number: ' .. tostring(s)) end
  return n
end
local function str(x)
  if x == math.huge then return 'inf' end
  if x == -math.huge then return '-inf' end
  return string.format('%.17g', x)
end
`;

/** The bucket log: load, save, and the memory store's prune / count / retry-after / record / unrecord. */
const callLog = `
local function loadLog(key)
  local raw = redis.call('GET', key)
  if not raw then return nil end
  local t = {}
  for token in string.gmatch(raw, '%S+') do t[#t + 1] = num(token) end
  local log = { width = t[1], retain = t[2], buckets = {} }
  for i = 3, #t - 2, 3 do
    log.buckets[#log.buckets + 1] = { start = t[i], last = t[i + 1], count = t[i + 2] }
  end
  return log
end

local function encodeLog(log)
  local parts = { str(log.width), str(log.retain) }
  for _, b in ipairs(log.buckets) do
    parts[#parts + 1] = str(b.start)
    parts[#parts + 1] = str(b.last)
    parts[#parts + 1] = str(b.count)
  end
  return table.concat(parts, ' ')
end

-- Kept until its newest call leaves the longest window, plus the grace.
local function saveLog(key, log, now, graceMs)
  local newest = now
  for _, b in ipairs(log.buckets) do
    if b.last > newest then newest = b.last end
  end
  local ttl = math.ceil(newest + log.retain - now + graceMs)
  if ttl < 1 then ttl = 1 end
  redis.call('SET', key, encodeLog(log), 'PX', ttl)
end

-- Returns whether a bucket was dropped.
local function prune(log, now)
  local drop = 0
  while drop < #log.buckets and log.buckets[drop + 1].last + log.retain <= now do drop = drop + 1 end
  if drop == 0 then return false end
  local kept = {}
  for i = drop + 1, #log.buckets do kept[#kept + 1] = log.buckets[i] end
  log.buckets = kept
  return true
end

local function countWithin(log, window, now)
  local total = 0
  for _, b in ipairs(log.buckets) do
    if b.last + window > now then total = total + b.count end
  end
  return total
end

local function retryAfter(log, limit, window, total, increment, now)
  local left = total
  for _, b in ipairs(log.buckets) do
    if b.last + window > now then
      left = left - b.count
      if left + increment <= limit then return math.max(1, b.last + window - now) end
    end
  end
  return window
end

local function record(log, increment, now)
  local start = now - (now % log.width)
  local newest = log.buckets[#log.buckets]
  if newest and newest.start >= start then
    newest.count = newest.count + increment
    newest.last = math.max(newest.last, now)
  else
    log.buckets[#log.buckets + 1] = { start = start, last = now, count = increment }
  end
end

local function unrecord(log, amount, countedAt)
  local start = countedAt - (countedAt % log.width)
  local left = math.max(0, amount)
  for _, b in ipairs(log.buckets) do
    if b.start >= start then
      local taken = math.min(left, b.count)
      b.count = b.count - taken
      left = left - taken
    end
  end
end
`;

/**
 * KEYS[1] the log; ARGV: limit, windowMs, increment, nowMs, graceMs, mode (`count` or `peek`).
 * Returns { allowed 1|0, remaining, retryAfterMs } (numbers as strings: `inf` survives).
 */
export const rateLimitScript = `${numbers}${callLog}
local key = KEYS[1]
local limit, window, increment, now, graceMs = num(ARGV[1]), num(ARGV[2]), num(ARGV[3]), num(ARGV[4]), num(ARGV[5])
local log = loadLog(key)
if ARGV[6] == 'peek' then
  if not log then
    if limit >= 1 then return { 1, str(math.max(0, limit)), '0' } end
    return { 0, str(math.max(0, limit)), str(window) }
  end
  prune(log, now)
  local total = countWithin(log, window, now)
  if total + 1 <= limit then return { 1, str(math.max(0, limit - total)), '0' } end
  return { 0, str(math.max(0, limit - total)), str(retryAfter(log, limit, window, total, 1, now)) }
end
local changed = not log
if not log then log = { width = math.max(1, math.floor(window / 100)), retain = window, buckets = {} } end
-- One key may serve windows of different lengths (rate-limit-by-key): keep calls for the longest.
if window > log.retain then
  log.retain = window
  changed = true
end
if prune(log, now) then changed = true end
local total = countWithin(log, window, now)
if total + increment > limit then
  -- A refusal counts nothing: the log is written only when it changed (a flood of refusals stays a read).
  if changed then saveLog(key, log, now, graceMs) end
  return { 0, str(math.max(0, limit - total)), str(retryAfter(log, limit, window, total, increment, now)) }
end
if increment > 0 then record(log, increment, now) end
saveLog(key, log, now, graceMs)
return { 1, str(math.max(0, limit - total - increment)), '0' }
`;

/** KEYS[1] the log; ARGV: amount, countedAtMs. Takes back calls; the key keeps its expiry. */
export const releaseScript = `${numbers}${callLog}
local log = loadLog(KEYS[1])
if not log then return 0 end
unrecord(log, num(ARGV[1]), num(ARGV[2]))
redis.call('SET', KEYS[1], encodeLog(log), 'KEEPTTL')
return 1
`;

/** The fixed-period counter: load, save (expiring at the period's end plus the grace; an endless one never). */
const quotaCounter = `
local function loadQuota(key)
  local raw = redis.call('GET', key)
  if not raw then return nil end
  local s, e, c = string.match(raw, '^(%S+) (%S+) (%S+)$')
  if not s then return nil end
  return { start = num(s), finish = num(e), count = num(c) }
end

-- The counter for the period asked; a newer period starts from zero.
local function counterFor(existing, periodStart, periodEnd)
  if not existing or existing.start < periodStart then return { start = periodStart, finish = periodEnd, count = 0 }, true end
  return existing, false
end

local function encodeQuota(q)
  return str(q.start) .. ' ' .. str(q.finish) .. ' ' .. str(q.count)
end

-- Expires at the period's end as seen from \`from\` (the caller's now, or the period's start when
-- there is no now), plus the grace.
local function saveQuota(key, q, from, graceMs)
  local value = encodeQuota(q)
  if q.finish == math.huge then
    redis.call('SET', key, value)
    return
  end
  local ttl = math.ceil(q.finish - from + graceMs)
  if ttl < 1 then ttl = 1 end
  redis.call('SET', key, value, 'PX', ttl)
end
`;

/**
 * KEYS[1] the counter; ARGV: limit, amount, periodStartMs, periodEndMs, nowMs, graceMs, mode
 * (`quota`: check and add; `add`: add unchecked, never below 0, ignored for an older period;
 * limit and now unused).
 * `quota` returns { allowed 1|0, remaining, resetInMs }.
 */
export const quotaScript = `${numbers}${quotaCounter}
local key = KEYS[1]
local limit, amount, periodStart, periodEnd, now, graceMs = num(ARGV[1]), num(ARGV[2]), num(ARGV[3]), num(ARGV[4]), num(ARGV[5]), num(ARGV[6])
local existing = loadQuota(key)
if ARGV[7] == 'add' then
  -- Bytes counted after a response of a period that is over must not touch the newer one.
  if existing and existing.start > periodStart then return 0 end
  local q, fresh = counterFor(existing, periodStart, periodEnd)
  q.count = math.max(0, q.count + amount)
  -- addToQuota has no caller time: a counter it starts lives for its whole period.
  if fresh then saveQuota(key, q, q.start, graceMs) else redis.call('SET', key, encodeQuota(q), 'KEEPTTL') end
  return 1
end
local q, fresh = counterFor(existing, periodStart, periodEnd)
local resetIn = math.max(0, q.finish - now)
if q.count >= limit then
  if fresh then saveQuota(key, q, now, graceMs) end
  return { 0, '0', str(resetIn) }
end
q.count = q.count + amount
if fresh or amount ~= 0 then saveQuota(key, q, now, graceMs) end
return { 1, str(math.max(0, limit - q.count)), str(resetIn) }
`;

/**
 * Several calls in one script (redis-counter-store.ts sends the calls of one event-loop turn
 * together). KEYS[i] is call i's key; ARGV holds, per call in order, its operation (`rl`, `rel`
 * or `q`), its argument count, and its arguments as the single-call script reads them. Each
 * script above runs unchanged as a function whose parameters are named KEYS and ARGV. Returns
 * one reply per call: the single-call script's reply, or { 'error', message } when that call
 * failed (the others still run, as separate scripts would).
 */
export const batchScript = `
local operations = {
  rl = function(KEYS, ARGV)
${rateLimitScript}
  end,
  rel = function(KEYS, ARGV)
${releaseScript}
  end,
  q = function(KEYS, ARGV)
${quotaScript}
  end,
}
local replies = {}
local at = 1
for i = 1, #KEYS do
  local operation = operations[ARGV[at]]
  local count = tonumber(ARGV[at + 1])
  local args = {}
  for j = 1, count do args[j] = ARGV[at + 1 + j] end
  at = at + 2 + count
  local ok, reply = pcall(operation, { KEYS[i] }, args)
  if ok then
    replies[i] = reply
  else
    replies[i] = { 'error', type(reply) == 'table' and tostring(reply.err) or tostring(reply) }
  end
end
return replies
`;
