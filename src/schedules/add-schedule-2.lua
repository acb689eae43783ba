-- Adds a schedule unless the tenant has as many as it may: one step, so two admins adding at once
-- cannot pass the limit together. KEYS[1]: the tenant's schedules (hash id → JSON), KEYS[2]: its last
-- id. ARGV[1]: the most schedules, ARGV[2]: the schedule's JSON. Returns the new id, or 0 when full.
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
local id = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], id, ARGV[2])
return id
