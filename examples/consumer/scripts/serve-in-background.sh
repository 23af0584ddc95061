#!/usr/bin/env bash
# The mock as a background process for a shell script or a CI job: your fixtures layered over the
# bundled ones, one request, then stop it. Start node_modules/.bin/getraze-mock, not `npx
# getraze-mock`: killing npx does not stop the server it started. `PORT=4010 npm run serve-in-background`
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-4010}"

node_modules/.bin/getraze-mock serve --port "$port" --quiet --now 2024-01-25T10:00:00Z \
  --fixtures default fixtures/my-fixtures.json &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT

# Wait (up to 10 s) until it accepts connections.
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "getraze-mock serve exited early" >&2; exit 1; fi
  sleep 0.1
done

curl --silent --show-error --fail-with-body --request PATCH \
  --url "http://127.0.0.1:$port/external/v1/opportunities/opp_my_deal/stage" \
  --header "Content-Type: application/json" \
  --header "X-API-Key: gr_my_team_key" \
  --data '{"status": "won"}'
echo

kill "$server"
wait "$server"
