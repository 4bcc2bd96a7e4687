-- wrk script: P2P transfers between random seeded customers.
-- Reads bench/out/users.txt ("<access token> <local phone>" per line).
local users = {}
local path = os.getenv("BENCH_USERS") or "bench/out/users.txt"
for line in io.lines(path) do
  local token, phone = line:match("^(%S+)%s+(%S+)$")
  users[#users + 1] = { token = token, phone = phone }
end
local route = os.getenv("BENCH_ROUTE") or "legacy"

request = function()
  local a = users[math.random(#users)]
  local b = users[math.random(#users)]
  while b == a do b = users[math.random(#users)] end
  local headers = { ["Authorization"] = "Bearer " .. a.token, ["Content-Type"] = "application/json" }
  if route == "v1" then
    local body = string.format('{"recipient_phone":"%s","amount":100,"pin":"4821"}', b.phone)
    return wrk.format("POST", "/api/v1/transfers", headers, body)
  end
  local body = string.format('{"recipient_telephone":"%s","amount":100}', b.phone)
  return wrk.format("POST", "/api/ompay/transfer", headers, body)
end
