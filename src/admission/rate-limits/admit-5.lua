--[[
  Admits one job against every admission limit at once: either all limits allow it and it takes a
  token from both buckets and a slot in the three sets, or it is refused and takes nothing.

  A share (ARGV[12] = 'share': a clip answered from the cache, or a request that joins an identical
  job in flight) makes no new work: it takes 1/ARGV[13] of a token from both buckets and no slot, so
  checks 1 to 3 do not apply to it. It is cheaper than a clip but never free of the limits.

  A peek (ARGV[12] = 'peek', for /video-queue) asks what a new job would get now and writes nothing:
  the same checks on the same state (leaked set entries are not counted rather than removed), and
  the whole tokens left in both buckets.

  Checks, in this order; the reason returned is the first that refuses:
    1. user-busy          the user already has max-active jobs queued or running
    2. tenant-queue-full  the tenant already has its cap of waiting jobs
    3. queue-full         the whole queue already has the global cap of waiting jobs
    4. tenant-rate-limit  the tenant's bucket holds less than one token
    5. user-rate-limit    the user's bucket holds less than one token
  retryAtMs is the latest retry time among all limits that refuse, so a retry then is not refused by
  any of them again: for a bucket, the exact ms when one token is back; for busy and the caps,
  now + the caller's estimate of when a slot frees.

  Buckets refill continuously, capacity tokens per interval. They store integer credit =
  tokens * interval ms, so refill (elapsed ms * capacity) and one token (interval) are exact.

  Input:
    KEYS[1] tenant token bucket  hash { credit, updated (ms), interval (ms that credit is scaled by) }
    KEYS[2] user token bucket    hash, the same fields
    KEYS[3] user active set      zset: job id -> admitted at (ms); jobs queued or running
    KEYS[4] tenant waiting set   zset: job id -> admitted at (ms)
    KEYS[5] global waiting set   zset: job id -> admitted at (ms)

    ARGV[1]  now, ms since the epoch
    ARGV[2]  tenant capacity (tokens)
    ARGV[3]  tenant interval: ms to refill the whole tenant capacity
    ARGV[4]  user capacity (tokens)
    ARGV[5]  user interval ms
    ARGV[6]  max active jobs per user
    ARGV[7]  tenant waiting cap
    ARGV[8]  global waiting cap
    ARGV[9]  job id
    ARGV[10] busy delay: ms from now until a busy slot likely frees (from the queue's ETA)
    ARGV[11] key TTL ms: set entries older than this are dropped as leaked (a crash between admit
             and finish), and the sets expire this long after their last admit
    ARGV[12] 'job' (a new job), 'share' (a clip made for an identical request) or 'peek'
    ARGV[13] shares per clip: a share costs 1/this of a token (ARGV[9] is unused for a share)

  Output:
    {1}                     admitted; also when this job id is already admitted (nothing taken)
    {1}                     for a share: allowed, its part of a token taken
    {0, reason, retryAtMs}  refused; nothing taken
    for a peek, nothing taken either way:
    {1, '', 0, tenantTokens, userTokens} or {0, reason, retryAtMs, tenantTokens, userTokens}
]]
local now = tonumber(ARGV[1])
local jobId = ARGV[9]
local busyAt = now + tonumber(ARGV[10])
local ttl = tonumber(ARGV[11])
local share = ARGV[12] == 'share'
local peek = ARGV[12] == 'peek'
local sharesPerClip = tonumber(ARGV[13])

-- Live entries of a set: older ones are leaked. A job drops them first; a peek only skips them.
local function live(key)
  if peek then return redis.call('ZCOUNT', key, string.format('%.0f', now - ttl), '+inf') end
  return redis.call('ZCARD', key)
end

if not share and not peek then
  -- Entries that outlived any real job would hold a slot for ever.
  for i = 3, 5 do
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', '(' .. string.format('%.0f', now - ttl))
  end

  if redis.call('ZSCORE', KEYS[3], jobId) then
    return {1}
  end
end

local reason = false
local retryAt = 0
local function refuse(why, at)
  if not reason then reason = why end
  if at > retryAt then retryAt = at end
end

if not share then
  if live(KEYS[3]) >= tonumber(ARGV[6]) then refuse('user-busy', busyAt) end
  if live(KEYS[4]) >= tonumber(ARGV[7]) then refuse('tenant-queue-full', busyAt) end
  if live(KEYS[5]) >= tonumber(ARGV[8]) then refuse('queue-full', busyAt) end
end

-- The bucket's credit now: stored credit (rescaled if the interval changed) plus the refill since.
local function creditNow(key, capacity, interval)
  local full = capacity * interval
  local stored = redis.call('HMGET', key, 'credit', 'updated', 'interval')
  if not stored[1] then return full end
  local credit = tonumber(stored[1])
  local storedInterval = tonumber(stored[3])
  if storedInterval ~= interval then credit = math.floor(credit * interval / storedInterval) end
  local elapsed = math.max(0, now - tonumber(stored[2]))
  return math.min(full, credit + elapsed * capacity)
end

local tenantCapacity, tenantInterval = tonumber(ARGV[2]), tonumber(ARGV[3])
local userCapacity, userInterval = tonumber(ARGV[4]), tonumber(ARGV[5])
local tenantCredit = creditNow(KEYS[1], tenantCapacity, tenantInterval)
local userCredit = creditNow(KEYS[2], userCapacity, userInterval)
-- What this admission costs, in credit: one token is `interval`; a share a part of one.
local function cost(interval)
  if share then return math.ceil(interval / sharesPerClip) end
  return interval
end
local tenantCost, userCost = cost(tenantInterval), cost(userInterval)
if tenantCredit < tenantCost then
  refuse('tenant-rate-limit', now + math.ceil((tenantCost - tenantCredit) / tenantCapacity))
end
if userCredit < userCost then
  refuse('user-rate-limit', now + math.ceil((userCost - userCredit) / userCapacity))
end

if peek then
  local tenantTokens = math.floor(tenantCredit / tenantInterval)
  local userTokens = math.floor(userCredit / userInterval)
  if reason then return {0, reason, retryAt, tenantTokens, userTokens} end
  return {1, '', 0, tenantTokens, userTokens}
end

if reason then
  return {0, reason, retryAt}
end

local function take(key, capacity, interval, credit, spent)
  local left = credit - spent
  redis.call('HSET', key, 'credit', string.format('%.0f', left), 'updated', ARGV[1],
    'interval', string.format('%.0f', interval))
  -- Once full again, a missing key means the same: let it go then.
  local msToFull = math.ceil((capacity * interval - left) / capacity)
  redis.call('PEXPIRE', key, string.format('%.0f', msToFull + 1000))
end
take(KEYS[1], tenantCapacity, tenantInterval, tenantCredit, tenantCost)
take(KEYS[2], userCapacity, userInterval, userCredit, userCost)
if share then
  return {1}
end

for i = 3, 5 do
  redis.call('ZADD', KEYS[i], ARGV[1], jobId)
  redis.call('PEXPIRE', KEYS[i], ARGV[11])
end
return {1}
