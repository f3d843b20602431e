-- wrk script for the PostgreSQL many-patients run: each request reads a patient picked at random from the
-- ids in the file named by KCLINIC_BENCH_IDS (one per line), so that requests arriving together mostly want
-- different records and cannot share one read. Reports through report.lua's done().
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

local ids = {}
for line in io.lines(os.getenv("KCLINIC_BENCH_IDS")) do
  if line ~= "" then ids[#ids + 1] = line end
end
if #ids == 0 then error("no patient ids in " .. os.getenv("KCLINIC_BENCH_IDS")) end

request = function()
  return wrk.format("GET", "/api/v1/patients/" .. ids[math.random(#ids)])
end
