--[[
Sliding-window limiter state of one limiter key, read and updated atomically in one call.

Each window of length W is cut into `precision` slots of width W / precision, aligned to the Unix
epoch: slot j covers [j * width, (j + 1) * width). At time t the window counts the slots
head - precision .. head, where head = floor(t / width). A cost admitted in slot j stops counting at
(j + precision + 1) * width.

KEYS[1]  the key's hash
ARGV[1]  "acquire" counts the request when every limit has room, and "usage" only reads
ARGV[2]  the caller's time in epoch milliseconds, or "" to use the Redis server's TIME
ARGV[3]  the request's cost, a positive integer ("acquire" only)
ARGV[4]  precision, the number of slots per window
ARGV[5]  key expiry in milliseconds: the longest window plus its slot width ("acquire" only)
ARGV[6]  the number of distinct window lengths, n
ARGV[7..6 + 2n]  per window: its length and its slot width, in milliseconds
then ("acquire" only), per limit: the 1-based position of its window, its maximum

Hash fields:
  t           the latest time the key has seen, in epoch milliseconds. It never moves back, so a
              clock that steps back counts as no time passing
  <W>:head    the newest slot index of window W when it was last brought up to date
  <W>:sum     the cost counted in slots head - precision .. head
  <W>:oldest  the oldest of those slots with a count, absent while sum is 0
  <W>:<j>     the cost admitted in slot j, stored only for slots with a count that are still in
              the window

Reply: the decision time (t after this call), 1 when admitted and otherwise 0, then per window the
cost it counts (a decimal string) and its reset time, then ("acquire" only, when rejected) per limit
the time at which it has room for the cost, or 0 when it has room now. Times are epoch milliseconds.

Lua 5.1 numbers are doubles, exact only up to 2^53. Times and slot indexes stay far below that, but
counts, costs and maxima go up to 2^63 - 1, so the script keeps them as two base-10^9 digits.
]]

-- Exact counts: a count is {high, low}, its value high * 10^9 + low, with 0 <= low < 10^9. Both
-- parts stay exact in a double for every value up to 2^64, the largest a sum plus a cost can reach.
local DIGIT = 1000000000

-- Parses a non-negative decimal string. False or nil, which HMGET returns for a missing field, is 0.
local function parseCount(text)
  if not text then
    return { 0, 0 }
  end
  local length = #text
  if length <= 9 then
    return { 0, tonumber(text) }
  end
  return { tonumber(string.sub(text, 1, length - 9)), tonumber(string.sub(text, length - 8)) }
end

local function plus(a, b)
  local low = a[2] + b[2]
  if low >= DIGIT then
    return { a[1] + b[1] + 1, low - DIGIT }
  end
  return { a[1] + b[1], low }
end

-- Returns a - b for a >= b.
local function minus(a, b)
  local low = a[2] - b[2]
  if low < 0 then
    return { a[1] - b[1] - 1, low + DIGIT }
  end
  return { a[1] - b[1], low }
end

local function lessThan(a, b)
  return a[1] < b[1] or (a[1] == b[1] and a[2] < b[2])
end

local function isZero(a)
  return a[1] == 0 and a[2] == 0
end

local function decimal(a)
  if a[1] == 0 then
    return string.format('%d', a[2])
  end
  return string.format('%d%09d', a[1], a[2])
end

local ZERO = { 0, 0 }

local key = KEYS[1]
local operation = ARGV[1]
local cost = parseCount(ARGV[3])
local precision = tonumber(ARGV[4])
local windowCount = tonumber(ARGV[6])

-- HMGET and HDEL get at most this many fields per call, well below the Lua stack limit of unpack.
local BATCH = 1000

local function integer(number)
  return string.format('%d', number)
end

local function clockMillis()
  if ARGV[2] ~= '' then
    return tonumber(ARGV[2])
  end
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

local clock = clockMillis()
local latest = tonumber(redis.call('HGET', key, 't'))

-- A usage read of a key Redis does not hold reports nothing used and creates nothing.
if latest == nil and operation == 'usage' then
  local reply = { clock, 0 }
  for _ = 1, windowCount do
    reply[#reply + 1] = '0'
    reply[#reply + 1] = clock
  end
  return reply
end

local now = clock
if latest ~= nil and latest > now then
  now = latest
end

local function slotField(window, slot)
  return window.prefix .. integer(slot)
end

-- Returns the counts of slots first..last of a window, in order, 0 for a slot without a field.
local function readSlots(window, first, last)
  local counts = {}
  local from = first
  while from <= last do
    local to = math.min(last, from + BATCH - 1)
    local fields = {}
    for slot = from, to do
      fields[#fields + 1] = slotField(window, slot)
    end
    local values = redis.call('HMGET', key, unpack(fields))
    for i = 1, #values do
      counts[#counts + 1] = parseCount(values[i])
    end
    from = to + 1
  end
  return counts
end

local function deleteSlots(window, first, last)
  local from = first
  while from <= last do
    local to = math.min(last, from + BATCH - 1)
    local fields = {}
    for slot = from, to do
      fields[#fields + 1] = slotField(window, slot)
    end
    redis.call('HDEL', key, unpack(fields))
    from = to + 1
  end
end

-- Loads a window and brings it to `now`: the slots that left it stop counting and are deleted.
local function loadWindow(windowMillis, slotMillis)
  local window = { prefix = integer(windowMillis) .. ':', slotMillis = slotMillis }
  window.head = math.floor(now / slotMillis)
  local stored = redis.call('HMGET', key, window.prefix .. 'head', window.prefix .. 'sum', window.prefix .. 'oldest')
  window.tracked = stored[1] ~= false
  window.sum = parseCount(stored[2])
  window.oldest = tonumber(stored[3])

  local firstInWindow = window.head - precision
  if isZero(window.sum) or window.oldest >= firstInWindow then
    return window
  end

  -- Every slot with a count lies between the oldest one and the head stored with them.
  local storedHead = tonumber(stored[1])
  local scanFrom = window.oldest
  local counts = readSlots(window, scanFrom, storedHead)
  window.oldest = nil
  for i = 1, #counts do
    local slot = scanFrom + i - 1
    if slot < firstInWindow then
      window.sum = minus(window.sum, counts[i])
    elseif not isZero(counts[i]) and window.oldest == nil then
      window.oldest = slot
    end
  end
  deleteSlots(window, scanFrom, math.min(storedHead, firstInWindow - 1))
  return window
end

local function resetAt(window)
  if window.oldest == nil then
    return now
  end
  return (window.oldest + precision + 1) * window.slotMillis
end

-- Returns the earliest time at which the window has dropped at least `need` of its count.
local function releaseAt(window, need)
  local counts = readSlots(window, window.oldest, window.head)
  local released = ZERO
  for i = 1, #counts do
    released = plus(released, counts[i])
    if not lessThan(released, need) then
      return (window.oldest + i - 1 + precision + 1) * window.slotMillis
    end
  end
  error('window ' .. window.prefix .. ' counts ' .. decimal(window.sum) .. ', less than ' .. decimal(need))
end

local function store(windows, storeUntracked)
  local fields = { 't', integer(now) }
  local emptied = {}
  for _, window in ipairs(windows) do
    if window.tracked or storeUntracked then
      fields[#fields + 1] = window.prefix .. 'head'
      fields[#fields + 1] = integer(window.head)
      fields[#fields + 1] = window.prefix .. 'sum'
      fields[#fields + 1] = decimal(window.sum)
      if window.oldest == nil then
        emptied[#emptied + 1] = window.prefix .. 'oldest'
      else
        fields[#fields + 1] = window.prefix .. 'oldest'
        fields[#fields + 1] = integer(window.oldest)
      end
    end
  end
  redis.call('HSET', key, unpack(fields))
  if #emptied > 0 then
    redis.call('HDEL', key, unpack(emptied))
  end
end

local windows = {}
local argument = 7
for w = 1, windowCount do
  windows[w] = loadWindow(tonumber(ARGV[argument]), tonumber(ARGV[argument + 1]))
  argument = argument + 2
end

local reply = { now, 0 }
local function appendWindows()
  for _, window in ipairs(windows) do
    reply[#reply + 1] = decimal(window.sum)
    reply[#reply + 1] = resetAt(window)
  end
end

if operation == 'usage' then
  store(windows, false)
  appendWindows()
  return reply
end

local limits = {}
while argument <= #ARGV do
  limits[#limits + 1] = { window = windows[tonumber(ARGV[argument])], maximum = parseCount(ARGV[argument + 1]) }
  argument = argument + 2
end

local fitsEveryLimit = true
for _, limit in ipairs(limits) do
  if lessThan(limit.maximum, plus(limit.window.sum, cost)) then
    fitsEveryLimit = false
  end
end

-- Each distinct window counts the cost once, even when several limits share it.
if fitsEveryLimit then
  reply[2] = 1
  for _, window in ipairs(windows) do
    redis.call('HINCRBY', key, slotField(window, window.head), ARGV[3])
    window.sum = plus(window.sum, cost)
    if window.oldest == nil then
      window.oldest = window.head
    end
  end
end

store(windows, true)
if redis.call('PTTL', key) < tonumber(ARGV[5]) then
  redis.call('PEXPIRE', key, ARGV[5])
end

appendWindows()
if not fitsEveryLimit then
  -- A limit without room needs (sum + cost) - maximum of its count released.
  for _, limit in ipairs(limits) do
    local total = plus(limit.window.sum, cost)
    if lessThan(limit.maximum, total) then
      reply[#reply + 1] = releaseAt(limit.window, minus(total, limit.maximum))
    else
      reply[#reply + 1] = 0
    end
  end
end
return reply
