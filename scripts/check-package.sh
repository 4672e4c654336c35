#!/usr/bin/env bash
# Checks the package as a user gets it: `npm pack`, installed into an empty directory, where
# `npx tributary serve` answers /health, `npx tributary demo` runs every flow, and
# `import { startTributary } from 'tributary/testing'` starts an engine that answers.
# Uses the built dist/ (built first when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
serve_pid=''
cleanup() {
  if [ -n "$serve_pid" ]; then kill -- "-$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

[ -f dist/cli/main.js ] || npm run build
tarball=$(npm pack --ignore-scripts --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"

mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$work/$tarball" >/dev/null
echo "installed into an empty directory"
if [ -e node_modules/tsx ] || [ -e node_modules/esbuild ]; then
  echo "FAIL: tsx or esbuild was installed with the package (they are development dependencies)" >&2
  exit 1
fi

port=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
# In a process group of its own, so that stopping it stops npx and the server it started.
PORT=$port HOST=127.0.0.1 TRIBUTARY_DATA_DIR="$work/data" LOG_LEVEL=warn setsid npx --no-install tributary serve >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 600); do
  if curl -sf "http://127.0.0.1:$port/health" >/dev/null; then break; fi
  if ! kill -0 "$serve_pid" 2>/dev/null; then cat "$work/serve.log" >&2; echo "FAIL: npx tributary serve exited" >&2; exit 1; fi
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/health" >/dev/null || { cat "$work/serve.log" >&2; echo "FAIL: /health did not answer" >&2; exit 1; }
echo "npx tributary serve answers /health"
kill -- "-$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=''

npx --no-install tributary demo --delay-ms 0 --json >"$work/demo.json"
node -e "const r=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')); if(!r||typeof r!=='object') process.exit(1)" "$work/demo.json"
echo "npx tributary demo runs"

cat >check.mjs <<'JS'
import { startTributary } from 'tributary/testing'
const tributary = await startTributary()
const reply = await fetch(`${tributary.url}/connectors?sandbox=true`, { headers: { 'x-api-key': tributary.apiKey } })
const body = await reply.json()
await tributary.stop()
if (reply.status !== 200 || !(body.results?.length > 0)) throw new Error(`GET /connectors answered ${reply.status}`)
console.log(`import { startTributary } from 'tributary/testing' works (${body.results.length} sandbox connectors)`)
JS
node check.mjs
echo "package OK"
