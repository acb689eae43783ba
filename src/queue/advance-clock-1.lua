--[[
  Moves the virtual clock forward to a started job's tag (never backwards).

  Input:
    KEYS[1] clock key
    ARGV[1] the started job's tag
  Output:
    the clock after the move
]]
local clock = tonumber(redis.call('GET', KEYS[1]) or '0')
local tag = tonumber(ARGV[1])
if tag > clock then
  redis.call('SET', KEYS[1], tag)
  return tag
end
return clock
