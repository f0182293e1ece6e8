// The Redis store's Lua scripts: each read or write of a room runs as one script, so that
// Redis runs it whole, between any two commands of other instances.
//
// Keys, under the prefix P (ARGV[1] of every script; key names are built inside the scripts,
// which a single Redis or Valkey allows, and which Redis Cluster would not):
//   P room:<name>      hash: seq, goal (JSON of the goal or of its deletion; absent when none)
//   P history:<name>   list, oldest first: "<requested ms> <entry JSON>"
//   P rooms            set of the names with anything stored (the room count)
//   P running          sorted set: name → when its latest timer or break ends (ms)
//   P oldest           sorted set: name → requested ms of its oldest history entry (expiry)
//   P deletions        sorted set: name → when its goal was deleted (ms), while that is shown
//   P floor            the highest number a forgotten room had (see MemoryStore.floor)
//   P stats            hash: since, timer:<minutes>, break:<minutes>, goals, day:<date>, hour:<h>
//   P rstats:<name>:<day>  hash: <count field>:<person> → a team's rotation count of that UTC
//                      day (rotation-count.ts); gone once the day is no longer kept
//   (the room hash also holds cursor: where the counting of a team's rotation stands, JSON)
//   P listeners        hash: instance id → its listeners, as it last reported them
//   P reported         sorted set: instance id → when its report runs out (ms)
//   P bucket:<budget>:<client>  hash: tokens, at (ms); gone once it would be full again
//   P here@<instance>  hash: room → JSON list of the names the instance has here (Store.reportHere)
//   P here-until       sorted set: instance id → until when its reports of who is here hold (ms)
// Every committed change is published as RoomEvent JSON on the channel P events@<database>,
// and the room of every report of who is here on P here@<database>: channels are not kept
// apart by database numbers as keys are.

export interface Script {
  source: string;
  sha: string;
}

function script(body: string): Script {
  const source = `${COMMON}\n${body}`;
  return { source, sha: new Bun.CryptoHasher("sha1").update(source).digest("hex") };
}

/**
 * A script that runs `body` once for each call of a batch. ARGV: the prefix, then the calls
 * as one JSON array of argument lists (one argument for the client to send instead of a
 * score per call: sending each costs an instance a microsecond); it answers a list of one
 * result per call. The body reads its call's arguments as ARGV (a parameter that hides the
 * global), numbered as in a script of its own: ARGV[1] is the prefix, ARGV[2] its first
 * argument. What the calls counted or spent is written once, after the last (see saveBatch).
 */
function batched(body: string): Script {
  return script(`local function one(ARGV)
${body}
end
local calls, results = cjson.decode(ARGV[2]), {}
for n, call in ipairs(calls) do
  table.insert(call, 1, P)
  results[n] = one(call)
end
saveBatch()
return results`);
}

const COMMON = `
local P = ARGV[1]
local function key(kind, name) return P .. kind .. ':' .. name end
local function entryMs(element) return tonumber(string.match(element, '^(-?%d+) ')) end

-- Drops history requested before cutoff, oldest first, and a goal deletion as old (Room.trim).
local function trim(name, cutoff)
  local history = key('history', name)
  while true do
    local first = redis.call('LINDEX', history, 0)
    if not first or entryMs(first) >= cutoff then break end
    redis.call('LPOP', history)
  end
  local deleted = redis.call('ZSCORE', P .. 'deletions', name)
  if deleted and tonumber(deleted) < cutoff then
    redis.call('HDEL', key('room', name), 'goal')
    redis.call('ZREM', P .. 'deletions', name)
  end
end

-- Brings the indexes up to date with the room, and forgets it when nothing is left.
local function settle(name)
  local room, history = key('room', name), key('history', name)
  local first = redis.call('LINDEX', history, 0)
  if first then
    redis.call('ZADD', P .. 'oldest', entryMs(first), name)
  else
    redis.call('ZREM', P .. 'oldest', name)
    redis.call('ZREM', P .. 'running', name)
  end
  if first or redis.call('HEXISTS', room, 'goal') == 1 or redis.call('HEXISTS', room, 'settings') == 1 then
    redis.call('SADD', P .. 'rooms', name)
    return
  end
  local seq = tonumber(redis.call('HGET', room, 'seq') or '0')
  if seq > tonumber(redis.call('GET', P .. 'floor') or '0') then redis.call('SET', P .. 'floor', seq) end
  redis.call('DEL', room, history)
  redis.call('SREM', P .. 'rooms', name)
end

-- What the calls of one batch add up, written once at its end by saveBatch(): a batch's
-- changes mostly count the same statistics fields and spend from the same client's bucket,
-- and each command a script runs costs Redis as much as the rest of the change.
local counts, buckets, since = {}, {}, nil

local function count(field) counts[field] = (counts[field] or 0) + 1 end

-- lib/base/token-buckets.ts's token bucket: refills the bucket for the time since it was last touched,
-- takes a token when it holds one, and answers what it held.
local function takeToken(bucket, capacity, window, now)
  local held = buckets[bucket]
  if not held then
    local stored = redis.call('HMGET', bucket, 'tokens', 'at')
    held = {}
    if stored[1] then held.tokens, held.at = tonumber(stored[1]), tonumber(stored[2]) end
    buckets[bucket] = held
  end
  local tokens, at = capacity, now
  if held.tokens then
    at = math.max(now, held.at)
    tokens = math.min(capacity, held.tokens + math.max(0, now - held.at) * capacity / window)
  end
  local left = tokens
  if tokens >= 1 then left = tokens - 1 end
  held.tokens, held.at, held.window = left, at, window
  return tokens
end

local function saveBatch()
  for field, n in pairs(counts) do redis.call('HINCRBY', P .. 'stats', field, n) end
  if since then redis.call('HSETNX', P .. 'stats', 'since', since) end
  for bucket, held in pairs(buckets) do
    redis.call('HSET', bucket, 'tokens', tostring(held.tokens), 'at', tostring(held.at))
    redis.call('PEXPIRE', bucket, held.window)
  end
end

-- Redis's clock in ms, read once per script: a batch runs within a few milliseconds.
local timeMs
local function clockMs()
  if not timeMs then
    local time = redis.call('TIME')
    timeMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  end
  return timeMs
end

-- A team's rotation count { day, person, field, op, value, ms the day is still kept }:
-- merged into what the day holds as its op says.
local function countRotation(name, c)
  local k, f, value = key('rstats', name .. ':' .. c[1]), c[3] .. ':' .. c[2], tonumber(c[5])
  if c[4] == 'add' then
    redis.call('HINCRBY', k, f, c[5])
  else
    local kept = redis.call('HGET', k, f)
    if not kept or (c[4] == 'min' and value < tonumber(kept)) or (c[4] == 'max' and value > tonumber(kept)) then redis.call('HSET', k, f, c[5]) end
  end
  redis.call('PEXPIRE', k, c[6])
end

-- Every count of person in the room's days goes under "someone", merged by its field's op
-- (a name taken out of the statistics); each day keeps its expiry.
local function forgetPerson(name, person, days, ops)
  for _, day in ipairs(days) do
    local k = key('rstats', name .. ':' .. day)
    local fields = redis.call('HGETALL', k)
    for i = 1, #fields, 2 do
      local split = string.find(fields[i], ':', 1, true)
      if string.sub(fields[i], split + 1) == person then
        local field = string.sub(fields[i], 1, split - 1)
        local op, value, into = ops[field], tonumber(fields[i + 1]), field .. ':someone'
        local kept = redis.call('HGET', k, into)
        if not kept or op == 'add' then
          redis.call('HSET', k, into, tostring((tonumber(kept) or 0) + value))
        elseif (op == 'min' and value < tonumber(kept)) or (op == 'max' and value > tonumber(kept)) then
          redis.call('HSET', k, into, fields[i + 1])
        end
        redis.call('HDEL', k, fields[i])
      end
    end
  end
end

local function storedSeq(name)
  return tonumber(redis.call('HGET', key('room', name), 'seq') or redis.call('GET', P .. 'floor') or '0')
end
`;

/**
 * Batched; each call: name, seq, kind ("entry", "goal-set", "goal-deleted",
 * "history-expired", "settings"), value (entry, goal or settings JSON, "" for no settings), ms (requested, or the cutoff), ends (ms an
 * entry runs until), maxHistory (0: no cap), since (ISO time, kept if the statistics have
 * none), event JSON, channel, deadline (ms by Redis's clock), the rotation's cursor JSON
 * ("" for a room that counts none), its counts (JSON list of countRotation's lists, "[]"
 * for none), names taken out ("" for none, else JSON { names, the days kept, each count
 * field's op }: see forgetPerson), then the statistics fields to count one each. Answers -1 when stored, the stored number when another writer took
 * this one, or "late" when Redis's clock is past the deadline.
 */
export const APPEND = batched(`
local name, seq = ARGV[2], tonumber(ARGV[3])
local current = storedSeq(name)
if clockMs() > tonumber(ARGV[12]) then return 'late' end
if seq ~= current + 1 then return current end
local kind, value, ms = ARGV[4], ARGV[5], ARGV[6]
local room = key('room', name)
redis.call('HSET', room, 'seq', ARGV[3])
if kind == 'entry' then
  -- A timer changes the indexes only when it is the room's first entry or pushes out its
  -- oldest: settle() would find everything else as it is.
  local history = key('history', name)
  local length = redis.call('RPUSH', history, ms .. ' ' .. value)
  local cap = tonumber(ARGV[8])
  if cap > 0 and length > cap then
    redis.call('LTRIM', history, length - cap, -1)
    redis.call('ZADD', P .. 'oldest', entryMs(redis.call('LINDEX', history, 0)), name)
  elseif length == 1 then
    redis.call('ZADD', P .. 'oldest', ms, name)
    redis.call('SADD', P .. 'rooms', name)
  end
  redis.call('ZADD', P .. 'running', ARGV[7], name)
else
  if kind == 'goal-set' then
    redis.call('HSET', room, 'goal', value)
    redis.call('ZREM', P .. 'deletions', name)
  elseif kind == 'goal-deleted' then
    redis.call('HSET', room, 'goal', value)
    redis.call('ZADD', P .. 'deletions', ms, name)
  elseif kind == 'settings' then
    if value == '' then redis.call('HDEL', room, 'settings') else redis.call('HSET', room, 'settings', value) end
  else
    trim(name, tonumber(ms))
  end
  settle(name)
end
if ARGV[13] ~= '' then
  redis.call('HSET', room, 'cursor', ARGV[13])
  for _, c in ipairs(cjson.decode(ARGV[14])) do countRotation(name, c) end
end
if ARGV[15] ~= '' then
  local forget = cjson.decode(ARGV[15])
  for _, person in ipairs(forget.names) do forgetPerson(name, person, forget.days, forget.ops) end
end
since = ARGV[9]
for i = 16, #ARGV do count(ARGV[i]) end
redis.call('PUBLISH', ARGV[11], ARGV[10])
return -1
`);

/**
 * Batched; each call: name, first history element (0: all of it, -1: the latest only).
 * Answers { seq, goal JSON or "", history elements, settings JSON or "", rotation cursor JSON or "" }.
 */
export const READ_ROOM = batched(`
local name = ARGV[2]
local stored = redis.call('HMGET', key('room', name), 'goal', 'settings', 'cursor')
return { storedSeq(name), stored[1] or '', redis.call('LRANGE', key('history', name), tonumber(ARGV[3]), -1), stored[2] or '', stored[3] or '' }
`);

/**
 * ARGV: prefix, cutoff (ms). Answers the names of the rooms whose whole history was
 * requested before the cutoff (Room.emptiedBy): their newest entry is older too.
 */
export const EMPTIED_ROOMS = script(`
local names = {}
for _, name in ipairs(redis.call('ZRANGEBYSCORE', P .. 'oldest', '-inf', '(' .. ARGV[2])) do
  if entryMs(redis.call('LINDEX', key('history', name), -1)) < tonumber(ARGV[2]) then names[#names + 1] = name end
end
return names
`);

/**
 * ARGV: prefix, cutoff (ms), now (ms), first day of statistics kept ("YYYY-MM-DD"). Trims
 * every room with history or a goal deletion older than the cutoff, forgets rooms left
 * empty, and per-day counts no longer kept.
 */
export const EXPIRE = script(`
local cutoff = tonumber(ARGV[2])
local names = {}
for _, name in ipairs(redis.call('ZRANGEBYSCORE', P .. 'oldest', '-inf', '(' .. ARGV[2])) do names[name] = true end
for _, name in ipairs(redis.call('ZRANGEBYSCORE', P .. 'deletions', '-inf', '(' .. ARGV[2])) do names[name] = true end
for name in pairs(names) do
  trim(name, cutoff)
  settle(name)
end
redis.call('ZREMRANGEBYSCORE', P .. 'running', '-inf', ARGV[3])
for _, field in ipairs(redis.call('HKEYS', P .. 'stats')) do
  if string.sub(field, 1, 4) == 'day:' and string.sub(field, 5) < ARGV[4] then redis.call('HDEL', P .. 'stats', field) end
end
return 0
`);

/**
 * ARGV: prefix, instance id, its listeners, when the report runs out (ms), now (ms).
 * Records the report, forgets instances whose report ran out, and answers { listeners on
 * the other instances, rooms whose timer runs at now }.
 */
export const SHARE_COUNTS = script(`
local counts, reported = P .. 'listeners', P .. 'reported'
redis.call('HSET', counts, ARGV[2], ARGV[3])
redis.call('ZADD', reported, ARGV[4], ARGV[2])
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', reported, '-inf', '(' .. ARGV[5])) do
  redis.call('HDEL', counts, gone)
  redis.call('ZREM', reported, gone)
end
local others = 0
local all = redis.call('HGETALL', counts)
for i = 1, #all, 2 do
  if all[i] ~= ARGV[2] then others = others + tonumber(all[i + 1]) end
end
return { others, redis.call('ZCOUNT', P .. 'running', '(' .. ARGV[5], '+inf') }
`);

/**
 * Batched; each call: budget, client, capacity, window (ms), now (ms). lib/base/token-buckets.ts's token bucket:
 * refills the bucket for the time since it was last touched, takes a token when it holds
 * one, and answers what it held (as text: Redis would cut a Lua number to an integer).
 */
export const TAKE_TOKEN = batched(`
return tostring(takeToken(P .. 'bucket:' .. ARGV[2] .. ':' .. ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])))
`);

/**
 * ARGV: prefix, now (ms), "1" for only rooms with settings or "". Answers the names of the
 * rooms whose latest timer or break runs at now.
 */
export const RUNNING_ROOMS = script(`
local names = {}
for _, name in ipairs(redis.call('ZRANGEBYSCORE', P .. 'running', '(' .. ARGV[2], '+inf')) do
  if ARGV[3] == '' or redis.call('HEXISTS', key('room', name), 'settings') == 1 then names[#names + 1] = name end
end
return names
`);

/** ARGV: prefix. Answers the names of the rooms with anything stored. */
export const ROOM_NAMES = script(`
return redis.call('SMEMBERS', P .. 'rooms')
`);

/**
 * ARGV: prefix, name, seq, goal JSON ("" for none), goal deleted at (ms, "" unless the goal
 * is a deletion), when the latest entry ends (ms, "" without history), settings JSON ("" for
 * none), rotation cursor JSON ("" for none), then the history elements oldest first
 * ("<requested ms> <entry JSON>"). Replaces the room with that.
 */
export const IMPORT_ROOM = script(`
local name = ARGV[2]
local room, history = key('room', name), key('history', name)
redis.call('DEL', room, history)
redis.call('ZREM', P .. 'deletions', name)
redis.call('ZREM', P .. 'running', name)
redis.call('HSET', room, 'seq', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', room, 'goal', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('ZADD', P .. 'deletions', ARGV[5], name) end
if ARGV[6] ~= '' then redis.call('ZADD', P .. 'running', ARGV[6], name) end
if ARGV[7] ~= '' then redis.call('HSET', room, 'settings', ARGV[7]) end
if ARGV[8] ~= '' then redis.call('HSET', room, 'cursor', ARGV[8]) end
for i = 9, #ARGV do redis.call('RPUSH', history, ARGV[i]) end
settle(name)
return 0
`);

/** ARGV: prefix, then field, value pairs. Replaces the statistics with them. */
export const IMPORT_STATS = script(`
redis.call('DEL', P .. 'stats')
for i = 2, #ARGV, 2 do redis.call('HSET', P .. 'stats', ARGV[i], ARGV[i + 1]) end
return 0
`);

/**
 * ARGV: prefix, room name, then the UTC days to read. Answers, per day, the day and its
 * rotation counts as field, value pairs.
 */
export const READ_ROOM_STATS = script(`
local found = {}
for i = 3, #ARGV do found[#found + 1] = { ARGV[i], redis.call('HGETALL', key('rstats', ARGV[2] .. ':' .. ARGV[i])) } end
return found
`);

/**
 * ARGV: prefix, room name, the UTC days kept (JSON list), the counts to keep (JSON list of
 * countRotation's lists). Replaces the room's rotation counts with them.
 */
export const IMPORT_ROOM_STATS = script(`
for _, day in ipairs(cjson.decode(ARGV[3])) do redis.call('DEL', key('rstats', ARGV[2] .. ':' .. day)) end
for _, c in ipairs(cjson.decode(ARGV[4])) do countRotation(ARGV[2], c) end
return 0
`);

/** Who is here: the reports of instances gone at `now` (their heartbeat ran out) go first. */
const DROP_GONE_HERE = `
local function dropGoneHere(now)
  for _, gone in ipairs(redis.call('ZRANGEBYSCORE', P .. 'here-until', '-inf', now)) do
    redis.call('DEL', P .. 'here@' .. gone)
    redis.call('ZREM', P .. 'here-until', gone)
  end
end
`;

/**
 * ARGV: prefix, instance, room, names (JSON; "" for none), until (ms), now (ms), channel.
 * The instance's names in the room (Store.reportHere), its reports held until `until`; the
 * room's name is published for every instance to read it again.
 */
export const REPORT_HERE = script(`${DROP_GONE_HERE}
dropGoneHere(ARGV[6])
local mine = P .. 'here@' .. ARGV[2]
if ARGV[4] == '' then redis.call('HDEL', mine, ARGV[3]) else redis.call('HSET', mine, ARGV[3], ARGV[4]) end
redis.call('ZADD', P .. 'here-until', ARGV[5], ARGV[2])
redis.call('PUBLISH', ARGV[7], ARGV[3])
`);

/** ARGV: prefix, instance, until (ms), now (ms). The heartbeat; answers 0 when the instance had been taken for gone (its reports dropped). */
export const RENEW_HERE = script(`${DROP_GONE_HERE}
dropGoneHere(ARGV[4])
local known = redis.call('ZSCORE', P .. 'here-until', ARGV[2])
redis.call('ZADD', P .. 'here-until', ARGV[3], ARGV[2])
if known then return 1 else return 0 end
`);

/** ARGV: prefix, room, now (ms). Answers the JSON lists of names of every report of the room that holds at `now`. */
export const READ_HERE = script(`
local reports = {}
for _, instance in ipairs(redis.call('ZRANGEBYSCORE', P .. 'here-until', '(' .. ARGV[3], '+inf')) do
  local names = redis.call('HGET', P .. 'here@' .. instance, ARGV[2])
  if names then reports[#reports + 1] = names end
end
return reports
`);
