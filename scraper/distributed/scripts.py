"""The Lua scripts of the leased queue: each step of a request's life is one atomic script.

Keys of one spider in one job (``scraper:job:<job>:<spider>:...``), as in Browsertrix's crawl
state (queue, pending with a lease per URL, seen, done, failed):

* ``queue`` sorted set of entry ids, ``entries`` hash id -> JSON request, ``scores`` hash
  id -> score (kept so a request can go back where it was), ``tries`` hash id -> failed tries;
* ``leases`` sorted set id -> deadline (ms, Redis clock), ``owners`` hash id -> worker;
* ``seen`` set of fingerprints queued once, ``done`` set of fingerprints acknowledged,
  ``failed`` list of JSON {id, url, reason, tries}; ``hostseq`` hash host -> requests queued.

The score is ``-priority * 1e9 + n`` where ``n`` counts the host's requests: within a priority
the queue goes round-robin over hosts, so workers spread over hosts instead of queueing behind
one host's politeness delay. Time is always Redis' own (``TIME``), never a worker's clock.
"""

from __future__ import annotations

#: Keys every script gets, in this order.
KEY_NAMES = ("queue", "entries", "scores", "tries", "leases", "owners", "seen", "done",
             "failed", "hostseq")

_PRELUDE = """
local queue, entries, scores, tries, leases, owners, seen, done, failed, hostseq =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function forget(id)
  redis.call('HDEL', entries, id); redis.call('HDEL', scores, id)
  redis.call('HDEL', tries, id); redis.call('HDEL', owners, id); redis.call('ZREM', leases, id)
end
local function give_up(id, reason)
  local url = ''
  local entry = redis.call('HGET', entries, id)
  if entry then
    local ok, decoded = pcall(cjson.decode, entry)
    if ok and type(decoded) == 'table' and type(decoded['url']) == 'string' then
      url = decoded['url']
    end
  end
  redis.call('LPUSH', failed, cjson.encode({id = id, url = url, reason = reason,
                                            tries = tonumber(redis.call('HGET', tries, id) or 0)}))
  forget(id)
end
local function requeue(id)
  redis.call('ZREM', leases, id); redis.call('HDEL', owners, id)
  redis.call('ZADD', queue, tonumber(redis.call('HGET', scores, id) or 0), id)
end
"""

#: ARGV: fingerprint, JSON request, priority, dont_filter (0/1), host. Returns the id or nil.
PUSH = _PRELUDE + """
local fp = ARGV[1]
local added = redis.call('SADD', seen, fp)
if added == 0 and ARGV[4] ~= '1' then return false end
local id = fp
if added == 0 or redis.call('HEXISTS', entries, id) == 1 then
  id = fp .. '#' .. redis.call('HINCRBY', hostseq, '#ids', 1)
end
local n = redis.call('HINCRBY', hostseq, ARGV[5], 1)
local score = -tonumber(ARGV[3]) * 1e9 + n
redis.call('HSET', entries, id, ARGV[2]); redis.call('HSET', scores, id, score)
redis.call('ZADD', queue, score, id)
return id
"""

#: ARGV: worker, lease ms, max tries, how many. Expired leases go back first. Returns up to
#: that many leased requests as one flat list {id, entry, tries, id, entry, tries, ...}. With
#: an 11th key (the shared catalog's captures hash), each request's capture entry too: {id,
#: entry, tries, capture ('' for none; nil when the entry names no URL), ...}.
POP = _PRELUDE + """
local captures = KEYS[11]
local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(expired) do
  local n = redis.call('HINCRBY', tries, id, 1)
  if n >= tonumber(ARGV[3]) then
    give_up(id, 'lease expired ' .. n .. ' times (worker died or hung)')
  else
    requeue(id)
  end
end
local leased, count = {}, 0
while count < tonumber(ARGV[4]) do
  local popped = redis.call('ZPOPMIN', queue)
  if #popped == 0 then break end
  local id = popped[1]
  local entry = redis.call('HGET', entries, id)
  if entry then
    count = count + 1
    redis.call('ZADD', leases, now + tonumber(ARGV[2]), id)
    redis.call('HSET', owners, id, ARGV[1])
    leased[#leased + 1] = id
    leased[#leased + 1] = entry
    leased[#leased + 1] = redis.call('HGET', tries, id) or '0'
    if captures then
      local ok, decoded = pcall(cjson.decode, entry)
      if ok and type(decoded) == 'table' and type(decoded['url']) == 'string' then
        leased[#leased + 1] = redis.call('HGET', captures, decoded['url']) or ''
      else
        leased[#leased + 1] = false
      end
    end
  else
    -- a queue member with no entry is not ours (written by something else): set it aside
    local hex = string.gsub(string.sub(id, 1, 32), '.', function(c)
      return string.format('%02x', string.byte(c)) end)
    redis.call('LPUSH', failed, cjson.encode({id = 'hex:' .. hex, url = '', tries = 0,
                                              reason = 'queue member without an entry'}))
  end
end
return leased
"""

#: ARGV: worker, lease ms, ids... Returns how many of the leases this worker no longer holds.
RENEW = _PRELUDE + """
local lost = 0
for i = 3, #ARGV do
  if redis.call('HGET', owners, ARGV[i]) == ARGV[1] then
    redis.call('ZADD', leases, 'XX', now + tonumber(ARGV[2]), ARGV[i])
  else
    lost = lost + 1
  end
end
return lost
"""

#: ARGV: id, fingerprint, outcome ('done' or 'failed'), reason. Returns 1, or 0 if already gone.
ACK = _PRELUDE + """
local id = ARGV[1]
if redis.call('HEXISTS', entries, id) == 0 then return 0 end
if ARGV[3] == 'done' then
  redis.call('SADD', done, ARGV[2]); forget(id)
else
  give_up(id, ARGV[4])
end
return 1
"""

#: ARGV: id, JSON request, max tries, reason. A retry: back in the queue, or failed after N.
RETRY = _PRELUDE + """
local id = ARGV[1]
if redis.call('HEXISTS', entries, id) == 0 then return -1 end
local n = redis.call('HINCRBY', tries, id, 1)
if n >= tonumber(ARGV[3]) then
  give_up(id, ARGV[4] .. ' (' .. n .. ' tries)')
  return 0
end
redis.call('HSET', entries, id, ARGV[2])
requeue(id)
return n
"""

#: ARGV: worker, ids... Leases this worker still holds go back to the queue, tries unchanged.
RELEASE = _PRELUDE + """
local released = 0
for i = 2, #ARGV do
  if redis.call('HGET', owners, ARGV[i]) == ARGV[1] then
    requeue(ARGV[i]); released = released + 1
  end
end
return released
"""
