-- The wrk script of benchmarks/test_web.py: one script, three modes, chosen by
-- the environment (wrk passes no arguments to a script before init):
--
--   FP_WRK_MODE=get    GET the URL given to wrk (the trivial view)
--   FP_WRK_MODE=post   POST the file FP_WRK_BODY with FP_WRK_TYPE as Content-Type (the JSON API)
--   FP_WRK_MODE=flow   a visitor's flow: GET FP_WRK_PATH (the input form), POST the
--                      form FP_WRK_BODY to it, GET the page the 302 points to, with the
--                      session cookie the POST set; FP_WRK_COOKIE holds the CSRF cookie.
--
-- done() prints one line, "FPWRK {json}", that test_web.py reads.

local mode = os.getenv("FP_WRK_MODE") or "get"
local threads = {}

local function read_file(path)
    local f = assert(io.open(path, "rb"))
    local data = f:read("*a")
    f:close()
    return data
end

if mode == "post" then
    wrk.method = "POST"
    wrk.body = read_file(os.getenv("FP_WRK_BODY"))
    wrk.headers["Content-Type"] = os.getenv("FP_WRK_TYPE") or "application/json"
end

function setup(thread)
    table.insert(threads, thread)
end

if mode == "flow" then
    local path = os.getenv("FP_WRK_PATH")
    local csrf_cookie = os.getenv("FP_WRK_COOKIE") or ""
    local form = read_file(os.getenv("FP_WRK_BODY"))
    local pending = {}          -- result pages to fetch: {path, cookie}
    local step = 0
    forms_shown, posted, results, broken = 0, 0, 0, 0

    function request()
        if #pending > 0 then
            local page = table.remove(pending, 1)
            return wrk.format("GET", page.path, {Cookie = page.cookie})
        end
        step = step + 1
        if step % 2 == 1 then
            return wrk.format("GET", path, {Cookie = csrf_cookie})
        end
        return wrk.format("POST", path, {Cookie = csrf_cookie,
                                         ["Content-Type"] = "application/x-www-form-urlencoded"}, form)
    end

    function response(status, headers, body)
        if status == 302 then
            local location = headers["Location"] or headers["location"]
            local set_cookie = headers["Set-Cookie"] or headers["set-cookie"] or ""
            local session = set_cookie:match("sessionid=([^;]+)")
            if location and session then        -- the POST saved the article: follow it
                posted = posted + 1
                table.insert(pending, {path = location, cookie = "sessionid=" .. session .. "; " .. csrf_cookie})
            else                                -- a redirect that is no step of the flow
                broken = broken + 1
            end
        elseif status == 200 then
            if body:find("csrfmiddlewaretoken", 1, true) and not body:find("fp-word", 1, true) then
                forms_shown = forms_shown + 1
            else
                results = results + 1
            end
        end
    end
end

function done(summary, latency, requests)
    local e = summary.errors
    local flow = {forms_shown = 0, posted = 0, results = 0, broken = 0}
    if mode == "flow" then
        for _, thread in ipairs(threads) do
            for name, _ in pairs(flow) do
                flow[name] = flow[name] + (thread:get(name) or 0)
            end
        end
    end
    io.write(string.format(
        'FPWRK {"mode": "%s", "requests": %d, "duration_us": %d, "bytes": %d, ' ..
        '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
        '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
        '"flow": {"forms_shown": %d, "posted": %d, "results": %d, "broken": %d}}\n',
        mode, summary.requests, summary.duration, summary.bytes,
        e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
        flow.forms_shown, flow.posted, flow.results, flow.broken))
end
