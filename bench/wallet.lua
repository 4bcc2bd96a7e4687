-- wrk script: authenticated GET /api/v1/wallet as random seeded customers.
local tokens = {}
for line in io.lines(os.getenv("BENCH_USERS") or "bench/out/users.txt") do
  tokens[#tokens + 1] = line:match("^(%S+)")
end
request = function()
  return wrk.format("GET", "/api/v1/wallet", { ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)] })
end
