--[[
Sliding-window limiter state of one limiter key, read and updated atomically in one call.

Each window of length W is cut into `precision` slots of width W / precision, aligned to the Unix
epoch: slot j covers [j * width, (j + 1) * width). At time t the window counts the slots
head - precision .. head, where head = floor(t / width). A cost admitted in slot j stops counting at
(j + precision + 1) * width.

KEYS[1]  the key's hash
ARGV[1]  "acquire" counts the request when every limit has room; "usage" only reads
ARGV[2]  the caller's time in epoch milliseconds, or "" to use the Redis server's TIME
ARGV[3]  the request's cost, a positive integer ("acquire" only)
ARGV[4]  precision, the number of slots per window
ARGV[5]  key expiry in milliseconds: the longest window plus its slot width ("acquire" only)
ARGV[6]  the number of distinct window lengths, n
ARGV[7..6 + 2n]  per window: its length and its slot width, in milliseconds
then ("acquire" only), per limit: the 1-based position of its window, its maximum

Hash fields:
  t           the latest time the key has seen, in epoch milliseconds; it never moves back, so a
              clock that steps back counts as no time passing
  <W>:head    the newest slot index of window W when it was last brought up to date
  <W>:sum     the cost counted in slots head - precision .. head
  <W>:oldest  the oldest of those slots with a count; absent while sum is 0
  <W>:<j>     the cost admitted in slot j; only slots with a count that are still in the window

Reply, all integers: the decision time (t after this call), the time source's reading, 1 when
admitted and otherwise 0, then per window the cost it counts and its reset time, then ("acquire"
only, when rejected) per limit the time at which it has room for the cost, or 0 when it has room now.

Numbers are Lua doubles, so times, counts and costs are exact up to 2^53.
]]

local key = KEYS[1]
local operation = ARGV[1]
local cost = tonumber(ARGV[3])
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
  local reply = { clock, clock, 0 }
  for _ = 1, windowCount do
    reply[#reply + 1] = 0
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
      counts[#counts + 1] = tonumber(values[i]) or 0
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
  window.sum = tonumber(stored[2]) or 0
  window.oldest = tonumber(stored[3])

  local firstInWindow = window.head - precision
  if window.sum == 0 or window.oldest >= firstInWindow then
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
      window.sum = window.sum - counts[i]
    elseif counts[i] > 0 and window.oldest == nil then
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
  local released = 0
  for i = 1, #counts do
    released = released + counts[i]
    if released >= need then
      return (window.oldest + i - 1 + precision + 1) * window.slotMillis
    end
  end
  error('window ' .. window.prefix .. ' counts ' .. window.sum .. ', less than ' .. need)
end

local function store(windows, storeUntracked)
  local fields = { 't', integer(now) }
  local emptied = {}
  for _, window in ipairs(windows) do
    if window.tracked or storeUntracked then
      fields[#fields + 1] = window.prefix .. 'head'
      fields[#fields + 1] = integer(window.head)
      fields[#fields + 1] = window.prefix .. 'sum'
      fields[#fields + 1] = integer(window.sum)
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

local reply = { now, clock, 0 }
local function appendWindows()
  for _, window in ipairs(windows) do
    reply[#reply + 1] = window.sum
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
  limits[#limits + 1] = { window = windows[tonumber(ARGV[argument])], maximum = tonumber(ARGV[argument + 1]) }
  argument = argument + 2
end

local fitsEveryLimit = true
for _, limit in ipairs(limits) do
  if limit.window.sum + cost > limit.maximum then
    fitsEveryLimit = false
  end
end

-- Each distinct window counts the cost once, even when several limits share it.
if fitsEveryLimit then
  reply[3] = 1
  for _, window in ipairs(windows) do
    redis.call('HINCRBY', key, slotField(window, window.head), ARGV[3])
    window.sum = window.sum + cost
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
  for _, limit in ipairs(limits) do
    local room = limit.maximum - limit.window.sum
    if cost > room then
      reply[#reply + 1] = releaseAt(limit.window, cost - room)
    else
      reply[#reply + 1] = 0
    end
  end
end
return reply
