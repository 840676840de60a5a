-- wrk script of `make bench-http` for the autosave POST (assessments.views.answer_save).
-- A save must carry the answer's current revision, or it is refused with 409 (counted as an
-- error). So every request in flight saves a different question: each thread owns every n-th
-- question of the list, takes a free one for each request, and frees it when the response
-- gives its new revision. It needs at least as many questions per thread as connections per
-- thread. Arguments after `--`:
--   <threads> <path prefix, e.g. /assessments/12/answer/> <CODE:REVISION>...
-- The CSRF header and the cookies come from wrk's -H options.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk.lua")

local prefix
local free = {}      -- questions of this thread with no request in flight
local revision = {}  -- question code -> its current revision
local any            -- used if every question is in flight (some response was not a save)

function init(args)
  local threads = tonumber(args[1])
  prefix = args[2]
  for i = 3, #args do
    local code, rev = args[i]:match("^(.+):(%d+)$")
    if (i - 3) % threads == id then
      revision[code] = tonumber(rev)
      table.insert(free, code)
      any = any or code
    end
  end
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["HX-Request"] = "true"
end

function request()
  local code = table.remove(free, 1) or any
  local rev = revision[code]
  -- As the section page's form posts it: with the card's "tidy" mark (nothing on it to clear).
  local body = string.format(
    "%s-revision=%d&%s-tidy=1&%s-answer=%d&%s-comment=", code, rev, code, code, rev % 4, code)
  return wrk.format("POST", prefix .. code .. "/", nil, body)
end

function response(status, headers, body)
  count(status)
  -- 200 (saved: the revision out of band) and 409 (conflict: the question re-rendered) both
  -- carry the question's current revision.
  local code, rev = body:match('name="([^"]+)%-revision" value="(%d+)"')
  if code and revision[code] then
    revision[code] = tonumber(rev)
    table.insert(free, code)
  end
end
