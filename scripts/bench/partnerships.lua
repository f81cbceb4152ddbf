-- wrk script for scripts/bench/api.sh: GET /api/partnerships the way the Partnerships page
-- asks for it (50-row pages; searches as typed, debounced; sorts; the SSO filter; paging),
-- one path chosen at random per request, and a one-line summary for api.sh to read.
local paths = {}
local function add(query) paths[#paths + 1] = "/api/partnerships?per_page=50" .. query end

-- Browsing: first pages are the most common, deep pages happen.
for _, page in ipairs({ 1, 1, 1, 2, 3, 10, 50, 120, 200 }) do add("&page=" .. page) end
for _, sort in ipairs({ "-partners", "workspaces", "last_active", "-last_active", "-name" }) do
  add("&sort=" .. sort)
  add("&sort=" .. sort .. "&page=7")
end
add("&sso=enforced")
add("&sso=not_enforced&page=4")
add("&sso=enforced&sort=-last_active&page=2")
-- Searching: what people type, including the first letters before the debounce settles,
-- words that match many teams, exact names, domains and nothing at all.
for _, q in ipairs({ "n", "no", "nor", "north", "northwind", "northwind%20labs", "labs",
                     "copper%20media", "00042", "0004", "gen0123", "globex", "ini",
                     "quartz", "zzz-nothing" }) do
  add("&q=" .. q)
end
add("&q=labs&page=2")
add("&q=north&sort=-last_active")
add("&q=a&sso=enforced&page=3")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  -- Each thread its own sequence, the same in every run.
  math.randomseed(seed)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d errors=%d non2xx=%d paths=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status, #paths))
end
