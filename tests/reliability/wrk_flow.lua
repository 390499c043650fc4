-- The wrk script of tests/reliability/test_stack_load.py: every connection plays a visitor
-- who loops over
--   1. GET the input form              (200, with a CSRF token and cookie)
--   2. POST it with a text of its own  (302 to the result page, with a session cookie)
--   3. GET the result page             (200, and the text it posted must be on it)
--   4. POST the text to /api/annotate  (200, JSON tokens with its text and a reading)
-- Run it with one connection per thread (wrk -t N -c N), so that each thread's
-- state is one visitor's.  Each text carries a marker ("wrk<run>r<thread>n<count>z"); a
-- thread writes the markers it posted and saw to FP_WRK_OUT/<thread>.txt, so the
-- test can look every one of them up in the database afterwards.
-- done() prints one line, "FPWRK {json}".

local threads = {}
local next_id = 1

function setup(thread)
    thread:set("tid", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

local out_dir = os.getenv("FP_WRK_OUT")
local host = os.getenv("FP_WRK_HOST")
local run = os.getenv("FP_WRK_RUN") or "0"            -- this run's number: its markers are its own
local form_path = "/article_pronunciation/input/"
local TAIWAN = "%E5%8F%B0%E7%81%A3"                  -- 台灣, percent-encoded
local CUSTOM_502 = "\229\143\176\232\170\158\232\174\128\233\159\179"  -- 台語讀音: our own 502 page

step, count, token, csrf, session, marker, out = 1, 0, nil, nil, nil, nil, nil
s2, s3, s4, s5, s5_custom, forms, posted, verified, unverified, lost, api_ok, api_bad, unexpected =
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

local function note(kind, value)
    if out == nil then
        out = assert(io.open(out_dir .. "/" .. tid .. ".txt", "a"))
    end
    out:write(kind, " ", value, "\n")
    out:flush()
end

local function cookies()
    local parts = {}
    if csrf then table.insert(parts, "csrftoken=" .. csrf) end
    if session then table.insert(parts, "sessionid=" .. session) end
    return table.concat(parts, "; ")
end

function request()
    if step == 1 then
        return wrk.format("GET", form_path, {Cookie = cookies()})
    elseif step == 2 then
        count = count + 1
        marker = "wrk" .. run .. "r" .. tid .. "n" .. count .. "z"
        local body = "csrfmiddlewaretoken=" .. token .. "&text=" .. TAIWAN .. marker .. "%E3%80%82" ..
                     "&system=tl&tones=marks&sandhi=none&dialect=usual"
        return wrk.format("POST", form_path, {Cookie = cookies(), Origin = "http://" .. host,
                          ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
    elseif step == 3 then
        return wrk.format("GET", "/article_pronunciation/pronunciation/", {Cookie = cookies()})
    end
    return wrk.format("POST", "/api/annotate", {["Content-Type"] = "application/json"},
                      '{"text": "\\u53f0\\u7063' .. marker .. '", "system": "poj"}')
end

function response(status, headers, body)
    if status >= 500 then
        s5 = s5 + 1
        if status == 502 and body:find(CUSTOM_502, 1, true) then s5_custom = s5_custom + 1 end
    elseif status >= 400 then s4 = s4 + 1
    elseif status >= 300 then s3 = s3 + 1
    else s2 = s2 + 1 end
    local set_cookie = headers["Set-Cookie"] or headers["set-cookie"] or ""
    csrf = set_cookie:match("csrftoken=([^;]+)") or csrf
    session = set_cookie:match("sessionid=([^;]+)") or session
    if step == 1 then
        token = body:match('name="csrfmiddlewaretoken" value="([^"]+)"')
        if status == 200 and token and csrf then
            forms = forms + 1
            step = 2
        else
            unexpected = unexpected + 1
        end
    elseif step == 2 then
        local location = headers["Location"] or headers["location"]
        -- the 302 goes to the new article's permalink
        if status == 302 and location and location:match("^/article_pronunciation/pronunciation/[0-9a-f%-]+/$") then
            posted = posted + 1
            note("posted", marker .. " " .. (session or "-"))
            step = 3
        else
            unexpected = unexpected + 1
            step = 1
        end
    elseif step == 3 then
        if status == 200 and body:find(marker, 1, true) then
            verified = verified + 1
            note("verified", marker)
        elseif status == 200 then
            lost = lost + 1                 -- a page, but not the text this visitor posted
            note("lost", marker)
        else
            unverified = unverified + 1     -- no page (a fault): the database check decides
        end
        step = 4
    else
        if status == 200 and body:find(marker, 1, true) and body:find('"kind":"word"', 1, true) then
            api_ok = api_ok + 1
        else
            api_bad = api_bad + 1
        end
        step = 1
    end
end

function done(summary, latency, requests)
    local names = {"s2", "s3", "s4", "s5", "s5_custom", "forms", "posted", "verified", "unverified", "lost",
                   "api_ok", "api_bad", "unexpected"}
    local totals = {}
    for _, name in ipairs(names) do totals[name] = 0 end
    for _, thread in ipairs(threads) do
        for _, name in ipairs(names) do totals[name] = totals[name] + (thread:get(name) or 0) end
    end
    local e = summary.errors
    local parts = {}
    for _, name in ipairs(names) do table.insert(parts, string.format('"%s": %d', name, totals[name])) end
    io.write(string.format('FPWRK {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
                           '"timeout": %d, "non_2xx_3xx": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, %s}\n',
                           summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
                           latency:percentile(50), latency:percentile(99), latency.max, table.concat(parts, ", ")))
end
