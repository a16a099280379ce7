#!/usr/bin/env bash
# Gatehouse's two commands:
#   ./dev.sh up [--in-memory]    run the control plane locally against Azurite; Ctrl-C stops both
#   ./dev.sh test [args...]      install what is missing, build, run every test, print the totals
#                                (args go to 'dotnet test', e.g. --filter "FullyQualifiedName~Table")
# Needs the .NET 10 SDK and Node 20. Everything else is installed from the repo's own pins.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }

require_tools() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is needed (dotnet is not on PATH): https://dot.net/download"
  local sdk
  sdk=$(dotnet --version 2>/dev/null) || die "'dotnet --version' failed; is an SDK (not only a runtime) installed?"
  [ "${sdk%%.*}" -ge 10 ] || die "the .NET 10 SDK is needed; found $sdk"
  command -v node >/dev/null || die "Node.js 20 or later is needed (node is not on PATH): https://nodejs.org"
  local node_major
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$node_major" -ge 20 ] || die "Node.js 20 or later is needed; found $(node --version)"
}

# Azurite and the SignalR JS client (a test peer) come from package-lock.json, reinstalled
# whenever the lock file changes.
install_node_modules() {
  if [ ! -f node_modules/azurite/dist/src/azurite.js ] || [ ! -f node_modules/@microsoft/signalr/package.json ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "Installing the pinned npm packages (Azurite, @microsoft/signalr)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# The web console (console/): its own pinned npm packages, reinstalled when its lock file changes,
# then built by Vite into console/dist, which the app's build copies beside the app.
build_console() {
  if [ ! -f console/node_modules/.package-lock.json ] || [ console/package-lock.json -nt console/node_modules/.package-lock.json ]; then
    say "Installing the console's pinned npm packages (console/package-lock.json)"
    (cd console && npm ci --no-audit --no-fund --loglevel=error)
  fi
  say "Building the web console (vite build)"
  (cd console && npm run build --silent >/dev/null) || die "the console did not build; run 'cd console && npm run build' to see why"
}

# The console's browser tests drive Debian's chromium; installed here when missing and possible,
# else those tests skip and say why.
install_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "Installing Debian's chromium for the console's browser tests"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
      || say "Could not install chromium: the console's browser tests will be skipped"
  else
    say "No /usr/bin/chromium and no root apt-get to install it: the console's browser tests will be skipped"
  fi
}

azurite_pid=""
app_pid=""

stop_all() {
  trap - INT TERM EXIT
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  [ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null && wait "$azurite_pid" 2>/dev/null || true
  say "Stopped"
}

# Starts Azurite on the AZURITE_*_PORT ports, or on ports the OS picks, and sets
# blob_port/queue_port/table_port to where it listens.
start_azurite() {
  local in_memory=$1 log=$2
  local args=(--disableTelemetry --silent
    --blobHost 127.0.0.1 --blobPort "${AZURITE_BLOB_PORT:-0}"
    --queueHost 127.0.0.1 --queuePort "${AZURITE_QUEUE_PORT:-0}"
    --tableHost 127.0.0.1 --tablePort "${AZURITE_TABLE_PORT:-0}")
  if [ "$in_memory" = 1 ]; then
    args+=(--inMemoryPersistence --extentMemoryLimit 512)
  else
    mkdir -p .data/azurite
    args+=(--location .data/azurite)
  fi
  # Made before Azurite starts: the background job opens it only when it runs, and a count of a
  # file not there yet read as "listening" (an empty -lt test fails, ending the wait with no ports).
  : >"$log"
  node node_modules/azurite/dist/src/azurite.js "${args[@]}" >"$log" 2>&1 &
  azurite_pid=$!

  local deadline=$((SECONDS + 60))
  while [ "$(grep -c 'successfully listening' "$log" || true)" -lt 3 ]; do
    kill -0 "$azurite_pid" 2>/dev/null || { cat "$log" >&2; die "Azurite exited before it listened (is a port in AZURITE_*_PORT taken?)"; }
    [ $SECONDS -lt $deadline ] || { cat "$log" >&2; die "Azurite did not listen within 60 s"; }
    sleep 0.2
  done
  port_of() { sed -n "s/.*Azurite $1 service is successfully listening at http:\/\/127.0.0.1:\([0-9]*\).*/\1/p" "$log"; }
  blob_port=$(port_of Blob)
  queue_port=$(port_of Queue)
  table_port=$(port_of Table)
}

cmd_up() {
  local in_memory=0
  for arg in "$@"; do
    case "$arg" in
      --in-memory) in_memory=1 ;;
      *) die "unknown option for up: $arg (only --in-memory)" ;;
    esac
  done
  local port=${GATEHOUSE_PORT:-7071}
  local dp_port=${GATEHOUSE_DP_PORT:-7443}

  require_tools
  install_node_modules
  build_console
  say "Building the app"
  dotnet build src/Gatehouse.Functions -c Debug -nologo -v quiet -clp:ErrorsOnly

  mkdir -p .data
  trap stop_all INT TERM EXIT
  start_azurite "$in_memory" .data/azurite.log
  local endpoint=http://127.0.0.1
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  export GatehouseStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=$endpoint:$blob_port/devstoreaccount1;QueueEndpoint=$endpoint:$queue_port/devstoreaccount1;TableEndpoint=$endpoint:$table_port/devstoreaccount1;"
  say "Azurite ($([ "$in_memory" = 1 ] && echo in memory || echo data in .data/azurite)): blob $endpoint:$blob_port, queue $endpoint:$queue_port, table $endpoint:$table_port"

  # The management API needs a bearer token: keep the one given, else make one per checkout.
  if [ -z "${Gatehouse__AdminToken:-}" ]; then
    if [ ! -s .data/admin-token ]; then
      (umask 077; node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64url"))' >.data/admin-token)
    fi
    Gatehouse__AdminToken=$(cat .data/admin-token)
  fi
  export Gatehouse__AdminToken

  # Data planes present client certificates on an HTTPS port of their own; its self-signed
  # server certificate is made once into .data/ so that sidecars can trust it across restarts.
  export Gatehouse__DataPlane__HttpsPort=$dp_port
  export Gatehouse__DataPlane__ServerCertificateFile="$root/.data/dp-server.pem"

  export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
  local app_dir=src/Gatehouse.Functions/bin/Debug/net10.0
  dotnet "$app_dir/Gatehouse.Functions.dll" --urls "http://127.0.0.1:$port" --contentRoot "$root/$app_dir" &
  app_pid=$!

  local deadline=$((SECONDS + 60))
  until node -e "fetch('http://127.0.0.1:$port/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" 2>/dev/null; do
    kill -0 "$app_pid" 2>/dev/null || die "the app exited during start (see its log above)"
    [ $SECONDS -lt $deadline ] || die "the app did not become healthy within 60 s"
    sleep 0.3
  done
  say "Gatehouse is up at http://127.0.0.1:$port (the console; health: /healthz). Ctrl-C stops it and Azurite."
  say "Data planes: https://127.0.0.1:$dp_port/v1/dp (client certificate; server certificate in .data/dp-server.pem)"
  say "Sidecar (README, 'The sidecar'): dotnet run --project src/Gatehouse.Sidecar -- --control-plane-url https://127.0.0.1:$dp_port --server-ca .data/dp-server.pem --cert dp.crt --key dp.key"
  say "Admin token (also in .data/admin-token): $Gatehouse__AdminToken"
  say "Try: curl -H \"Authorization: Bearer \$(cat .data/admin-token)\" http://127.0.0.1:$port/v2/control-planes"
  wait "$app_pid"
}

cmd_test() {
  require_tools
  install_node_modules
  build_console
  install_chromium
  say "Building"
  dotnet build functions.sln -c Debug -nologo -v quiet -clp:ErrorsOnly

  say "Checking formatting (dotnet format)"
  dotnet format functions.sln --verify-no-changes --no-restore -v quiet \
    || die "the code is not formatted as .editorconfig says; run 'dotnet format functions.sln'"

  say "Running the tests"
  local log
  log=$(mktemp)
  local status=0
  # A hung test fails the run (with a dump) instead of holding CI until its time limit.
  # Without dynamic PGO in the test processes and the apps and sidecars they start: most code in a
  # test run runs a few times, and JITting it again instrumented, then optimized, is work the run
  # waits for on a small machine. In perf over the Functions tests on two cores, the JIT's background
  # thread took 3,127 samples with it and 1,446 without; the run used 11.5 CPU-minutes, then 8.7.
  DOTNET_TieredPGO=0 dotnet test functions.sln -c Debug --no-build -nologo --blame-hang-timeout 5m "$@" 2>&1 | tee "$log" || status=$?

  say "Checking './dev.sh up' end to end"
  if tests/smoke/dev-up.sh; then
    echo "Passed!  - Failed:     0, Passed:     1, Skipped:     0, Total:     1 - dev.sh up smoke test" | tee -a "$log"
  else
    echo "Failed!  - Failed:     1, Passed:     0, Skipped:     0, Total:     1 - dev.sh up smoke test" | tee -a "$log"
    status=1
  fi

  # One line for the whole run, summed over every test assembly.
  grep -E '^(Passed|Failed)!' "$log" | awk -F'[:,]' '
    { failed += $2; passed += $4; skipped += $6; total += $8; runs++ }
    END { printf "\nTotal: %d passed, %d failed, %d skipped, %d tests in %d runs\n", passed, failed, skipped, total, runs }' >&2
  rm -f "$log"
  return $status
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  test) shift; cmd_test "$@" ;;
  *) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
