--[[
  Assigns a job its virtual finish time for fair order across tenants (start-time fair queuing), in
  half steps: a tenant with jobs ahead gets its last tag + 2; a tenant with none (its last tag not
  past the clock) gets clock + 1, where clock is the tag of the latest job a worker took. A tenant's
  n-th waiting job so lands behind every other tenant's earlier ones, one busy tenant cannot starve
  the others, and a newly arriving tenant's job goes ahead of a busy tenant's next one rather than
  tying with it (BullMQ runs equal priorities FIFO, which would favour the busy tenant). The tag is
  the job's BullMQ priority (lower runs first).

  Input:
    KEYS[1] clock key (string: tag of the latest started job)
    KEYS[2] the tenant's last-tag key (string)
    ARGV[1] key TTL in ms (a tenant idle that long starts again from the clock)
    ARGV[2] rebase limit: when the clock passes it and no job waits (ARGV[3] == 0), start again from 0,
            so tags stay below BullMQ's priority ceiling (2^21)
    ARGV[3] jobs waiting in the queue now
  Output:
    the tag (integer >= 1)
]]
local clock = tonumber(redis.call('GET', KEYS[1]) or '0')
if clock > tonumber(ARGV[2]) and tonumber(ARGV[3]) == 0 then
  clock = 0
  redis.call('SET', KEYS[1], 0)
end
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if last > clock + tonumber(ARGV[2]) then
  last = 0 -- left over from before a rebase
end
local tag
if last > clock then
  tag = last + 2
else
  tag = clock + 1
end
redis.call('SET', KEYS[2], tag, 'PX', ARGV[1])
return tag
