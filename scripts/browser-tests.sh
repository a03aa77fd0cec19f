#!/usr/bin/env bash
# The officer's page, end to end, in Debian's chromium driven by Playwright
# (playwright-core from npm; it downloads no browser). Starts the real
# `palim serve` on loopback ports (one without a token, one with), runs
# tests/browser/e2e.mjs, and checks what the page downloaded with other
# programs: the results workbook with openpyxl, the variant with `palim flatten`.
# Screenshots and downloads: target/test-artifacts/browser/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin="$root/target/release/palim"
out="$root/target/test-artifacts/browser"
[ -x "$bin" ] || cargo build --release --quiet
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

if [ ! -d tests/browser/node_modules/playwright-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

# What the command line says, for the page to agree with.
baseline=scenarios/palim-2020/baseline.json
"$bin" convert "$baseline" -o "$work/baseline.xlsx" >/dev/null
"$bin" solve "$baseline" --format json >"$work/expected.json"
"$bin" explain "$baseline" --trainee T025 --format json >"$work/t025.json"
"$bin" shortlist "$baseline" --per-position 3 --per-trainee 4 --format json >"$work/shortlist.json"
"$bin" generate --preset medium -o "$work/medium.json" >/dev/null
# A scenario with mistakes: an unknown destination and a date that is not one.
python3 - "$baseline" "$work/broken.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["trainees"][2]["destinations"] = ["XX"]
s["trainees"][4]["birth_date"] = "1995-02-31"
json.dump(s, open(sys.argv[2], "w"), indent=2)
PY

# Start a server on a free loopback port; its address in $started. Not in a
# command substitution: a subshell's `pids+=` would not reach `cleanup`, and
# the servers would outlive the tests.
start() {
    local log="$1"; shift
    "$bin" serve --addr 127.0.0.1:0 --quiet "$@" >"$log" 2>"$log.err" &
    pids+=("$!")
    for _ in $(seq 1 100); do
        if grep -q "listening on" "$log" 2>/dev/null; then
            started=$(sed -n 's/^palim serve: listening on //p' "$log" | head -1)
            return 0
        fi
        sleep 0.1
    done
    echo "palim serve did not start: $(cat "$log.err")" >&2
    return 1
}
start "$work/serve.out"
url=$started
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s' "$token" >"$work/token"
# A token server listens on loopback too; the page must still ask for the token.
start "$work/serve-token.out" --token-file "$work/token"
token_url=$started

PALIM_URL="$url" PALIM_TOKEN_URL="$token_url" PALIM_TOKEN="$token" \
WORKBOOK="$work/baseline.xlsx" BROKEN="$work/broken.json" MEDIUM="$work/medium.json" \
EXPECTED="$work/expected.json" T025="$work/t025.json" SHORTLIST="$work/shortlist.json" OUT="$out" \
    node tests/browser/e2e.mjs

# What the page downloaded reads in other programs.
python3 - "$out/palim-result-nl.xlsx" "$out/palim-employer.xlsx" "$work/expected.json" <<'PY'
import json, sys
import openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
expected = json.load(open(sys.argv[3]))
names = book.sheetnames
assert names[0] == "Overzicht", names
matches = book[names[1]]
rows = [r for r in matches.iter_rows(min_row=2, values_only=True) if r and r[0]]
assert len(rows) == len(expected["matches"]), (len(rows), len(expected["matches"]))
assert sorted(r[0] for r in rows) == sorted(m["trainee"] for m in expected["matches"])
employer = openpyxl.load_workbook(sys.argv[2], read_only=True)
assert len(employer.sheetnames) == 1, employer.sheetnames
print(f"ok   the downloaded workbook reads in openpyxl: {len(names)} sheets, {len(rows)} matches, as the command line")
PY
python3 - "$out/palim-shortlists-nl.xlsx" "$work/shortlist.json" <<'PY'
import json, sys
import openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
expected = json.load(open(sys.argv[2]))
names = book.sheetnames
assert names[:3] == ["Overzicht", "Shortlists", "Sollicitatiegesprekken"], names[:3]
rows = [r for r in book["Sollicitatiegesprekken"].iter_rows(min_row=2, values_only=True) if r and r[0]]
want = [(c["trainee"], l["vacancy"], "lopend") for l in expected["shortlists"] for c in l["candidates"]]
assert [tuple(r[:3]) for r in rows] == want, (rows[:3], want[:3])
employers = sorted({l["employer"][:31] for l in expected["shortlists"]})
assert all(e in names for e in employers), [e for e in employers if e not in names]
print(f"ok   the page's shortlist workbook reads in openpyxl: {len(rows)} interviews to record, {len(employers)} employer sheets")
PY
cp "$baseline" "$out/base.json"
"$bin" flatten "$out/variant.json" >"$work/flat.json"
python3 - "$work/flat.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["format"] == "palim/1" and len(s.get("forbids", [])) == 1, s.get("forbids")
print("ok   the downloaded variant flattens with palim flatten")
PY
# The comparison the page showed for every kind of change at once is the one
# the command line computes from the variant the page wrote.
"$bin" compare "$out/base.json" "$out/variant-all.json" --replan --format json >"$work/compare.json"
python3 - "$out/comparison-page.json" "$work/compare.json" <<'PY'
import json, sys
page = json.load(open(sys.argv[1]))
cli = json.load(open(sys.argv[2]))
v = cli["variants"][0]
assert page["placed"] == [str(cli["base"]["placements"]), str(v["column"]["placements"])], (page["placed"], cli["base"]["placements"], v["column"]["placements"])
want = [[p["trainee"], p["change"], p.get("from") or "—", p.get("to") or "—"] for p in v["people"]]
assert page["people"] == want, (page["people"][:5], want[:5])
print(f"ok   the page's comparison of every kind of change is palim compare --replan's: {len(want)} people, {page['placed'][0]} → {page['placed'][1]} placed")
PY
rm -f "$out/base.json"
echo "browser tests passed; screenshots in $out"
