-- wrk script: the bare app's single-row balance read, for random seeded wallets.
local count = tonumber(os.getenv("BENCH_WALLETS") or "10000")
request = function()
  return wrk.format("GET", "/balance/" .. math.random(count))
end
