--[[
  Replaces one tenant's settings only if they are still what the caller read, so two admins (or
  two bot processes) changing different fields at once never lose one change.

  Input:
    KEYS[1]  the tenant's settings key (a JSON string)
    ARGV[1]  the value the caller read; '' when the key was absent
    ARGV[2]  the new value

  Returns 1 when written, 0 when the value changed meanwhile (read it again and retry).
]]
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
