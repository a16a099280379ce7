#!/usr/bin/env bash
# End-to-end check of './dev.sh up' as a user runs it: it comes up healthy on the asked port
# with Azurite on ports of its own, and Ctrl-C (SIGINT to its process group) stops the app
# and Azurite both.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
answers() { node -e "fetch('$1').then(r => process.exit(r.status === ${2:-200} ? 0 : 1), () => process.exit(1))" 2>/dev/null; }
listening() { node -e "require('net').connect($1,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; }

port=$(free_port)
dp_port=$(free_port)
log=$(mktemp)
# Job control gives './dev.sh up' a process group of its own, as a terminal would, and keeps
# SIGINT deliverable (a non-interactive shell starts background jobs with SIGINT ignored).
# A SIGINT ignored before this script began (say, it runs under a backgrounded 'dev.sh test')
# stays ignored through job control, and bash cannot trap a signal ignored at its start:
# env puts it back to the default, as a terminal's shell has it.
reset_sigint=()
if env --default-signal=INT true 2>/dev/null; then reset_sigint=(env --default-signal=INT); fi
set -m
GATEHOUSE_PORT=$port GATEHOUSE_DP_PORT=$dp_port "${reset_sigint[@]}" ./dev.sh up --in-memory >"$log" 2>&1 &
pid=$!
set +m
fail() { echo "dev-up smoke: $*" >&2; sed 's/^/  | /' "$log" >&2; kill -TERM -- -"$pid" 2>/dev/null || true; rm -f "$log"; exit 1; }

deadline=$((SECONDS + 180))
until grep -q "Admin token" "$log"; do
  kill -0 "$pid" 2>/dev/null || fail "'./dev.sh up' exited before it said it was up"
  [ $SECONDS -lt $deadline ] || fail "'./dev.sh up' did not say it was up within 180 s"
  sleep 0.5
done
grep -q "Gatehouse is up at http://127.0.0.1:$port" "$log" || fail "no 'up' banner for port $port"
answers "http://127.0.0.1:$port/healthz" || fail "/healthz is not 200 once up"
token=$(sed -n 's/.*Admin token (also in .data\/admin-token): \([A-Za-z0-9_-]*\).*/\1/p' "$log")
[ -n "$token" ] || fail "no admin token printed"
node -e "fetch('http://127.0.0.1:$port/v2/control-planes?filter[name][eq]=default',{headers:{authorization:'Bearer $token'}})
  .then(r => r.json()).then(b => process.exit(b.data.length === 1 ? 0 : 1), () => process.exit(1))" \
  || fail "the printed token does not list the default control plane"
answers "http://127.0.0.1:$port/v2/control-planes" 401 || fail "the management API answers without a token"
# The data plane endpoint speaks TLS with the server certificate in .data/ and refuses a client without a certificate.
grep -q "Data planes: https://127.0.0.1:$dp_port/v1/dp" "$log" || fail "no data plane banner for port $dp_port"
node -e "require('https').get({host:'127.0.0.1',port:$dp_port,path:'/v1/dp/config?node_id=00000000-0000-4000-8000-000000000000',
    ca:require('fs').readFileSync('.data/dp-server.pem'),servername:'localhost',checkServerIdentity:()=>undefined},
    r => process.exit(r.statusCode === 401 ? 0 : 1)).on('error', e => { console.error(e.message); process.exit(1); })" \
  || fail "the data plane endpoint does not answer 401 over TLS with .data/dp-server.pem to a client without a certificate"
table_port=$(sed -n 's/.*table http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log")
[ -n "$table_port" ] && listening "$table_port" || fail "Azurite's table port is not listening"

kill -INT -- -"$pid"
deadline=$((SECONDS + 30))
while kill -0 "$pid" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || fail "'./dev.sh up' still running 30 s after Ctrl-C"
  sleep 0.2
done
! answers "http://127.0.0.1:$port/healthz" || fail "the app still answers after Ctrl-C"
! listening "$table_port" || fail "Azurite still listens after Ctrl-C"
rm -f "$log"
echo "dev-up smoke: up on :$port (data planes :$dp_port), healthy, and both processes stopped on Ctrl-C"
