#!/usr/bin/env bash
# The benchmark: palim phase by phase, then palim side by side with the peer
# solvers of ../shared/bench on the very same scenario files.
#
#   bench/run.sh [--sizes palim,medium,medium-net,large,large-palim,large-net] [--seed S] [--runs N] [--no-peers] [--peer-limit S] [--scaling] [--after-limit S]
#
# Scenario files are made by the peers' generator (stdlib Python), so every
# solver reads the same bytes:
#   palim       the bundled PALIM baseline (scenarios/palim-2020/baseline.json)
#   medium      1,000 × 400, regional destinations, a women share, employer caps
#   medium-net  1,000 × 400, network-shaped (two destinations, no share)
#   large       10,000 × 8,000, regional, a women share, employer caps (~506k pairs)
#   large-net   10,000 × 8,000, network-shaped
#   large-palim 10,000 × 8,000 from palim's own generator (palim generate --preset large --seed S; 1 unless --seed)
#   xl          40,000 × 20,000 from palim's own generator (reasons table only, with --scaling)
# Generated files use seed 1 unless --seed S says another (files and table
# rows then end in -sS): the 1,000 × 400 takes 5 s to explain at seed 1 and
# 39 s at seed 3 (BENCHMARKS.md, seventeenth round).
# Prints Markdown tables: palim's phases (median of N runs, in one
# process); the same scenario read as JSON and as a workbook, the workbook
# written, and the results workbook and HTML report of its match set; the reasons of trainees eligible nowhere and vacancies nobody is
# eligible for, every rule for every pair against the indexes (with --scaling
# also on xl, to show how each grows); and whole-process wall time and peak
# memory (palim: median of N runs; peers: one run each, --peer-limit seconds at
# most) with the ratios; then what comes after the solve (explanations of one
# trainee, one vacancy and the rules against the solved match set, a re-plan
# with one announced match forbidden, every explanation, a comparison of the
# base and 5 variants), each against one plain solve of the same file
# (median of N, each at most --after-limit seconds).
# No timing is asserted: CI runs it on the small sizes to keep it working.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="palim,medium,medium-net"
runs=5
peers=1
limit=300
scaling=0
after_limit=600
seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --no-peers) peers=0; shift ;;
    --peer-limit) limit="$2"; shift 2 ;;
    --scaling) scaling=1; shift ;;
    --after-limit) after_limit="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

case "$seed" in
  '' | *[!0-9]*) echo "bench/run.sh: --seed takes a whole number, not $seed" >&2; exit 2 ;;
esac
suffix=""
[ "$seed" = 1 ] || suffix="-s$seed"

shared="${PALIM_SHARED:-../shared}"
gen="$shared/bench/gen_scenario.py"
out=target/bench
mkdir -p "$out"
peer_python="${PEER_PYTHON:-$HOME/.venvs/palim-peers/bin/python}"
if [ "$peers" = 1 ] && ! [ -x "$peer_python" ]; then
  echo "bench/run.sh: no peer environment at $peer_python (see $shared/bench/README.md); running without peers" >&2
  peers=0
fi

# The generator needs numpy; a fresh machine gets it in a venv of its own.
gen_python=python3
if [ -x "$peer_python" ]; then
  gen_python=$peer_python
elif ! python3 -c 'import numpy' 2> /dev/null; then
  [ -x "$out/venv/bin/python" ] || { python3 -m venv "$out/venv" && "$out/venv/bin/pip" install --quiet numpy; }
  gen_python=$out/venv/bin/python
fi

cargo build --release --quiet --bin palim --example phases --example reasons --example workbooks
palim=target/release/palim

file_of() {
  case "$1" in
    palim) echo scenarios/palim-2020/baseline.json ;;
    medium) echo "$out/medium$suffix.json" ;;
    medium-net) echo "$out/medium-net$suffix.json" ;;
    large) echo "$out/large$suffix.json" ;;
    large-net) echo "$out/large-net$suffix.json" ;;
    large-palim) echo "$out/large-palim$suffix.json" ;;
    xl) echo "$out/xl$suffix.json" ;;
    *) echo "bench/run.sh: unknown size $1" >&2; exit 2 ;;
  esac
}

# A size as the tables name it: with its seed when that is not 1 (the
# bundled baseline has none).
label() {
  case "$1" in
    palim) echo "$1" ;;
    *) echo "$1$suffix" ;;
  esac
}

make_file() {
  local size=$1 file
  file=$(file_of "$size")
  [ -f "$file" ] && return 0
  case "$size" in
    medium) "$gen_python" "$gen" --preset large --seed "$seed" --trainees 1000 --vacancies 400 -o "$file" ;;
    medium-net) "$gen_python" "$gen" --preset large --seed "$seed" --trainees 1000 --vacancies 400 --no-regional --women-share 0 -o "$file" ;;
    large) "$gen_python" "$gen" --preset large --seed "$seed" -o "$file" ;;
    large-net) "$gen_python" "$gen" --preset large --seed "$seed" --no-regional --women-share 0 -o "$file" ;;
    large-palim) "$palim" generate --preset large --seed "$seed" -o "$file" ;;
    xl) "$palim" generate --preset large --seed "$seed" --trainees 40000 --vacancies 20000 -o "$file" ;;
  esac
}

IFS=, read -r -a list <<< "$sizes"
files=()
for s in "${list[@]}"; do
  make_file "$s" 2> >(grep -v '^$' >&2)
  files+=("$(file_of "$s")")
done

echo
echo "## palim, phase by phase (median of $runs runs, one process)"
echo
target/release/examples/phases --runs "$runs" "${files[@]}"

echo
echo "## workbooks against JSON: read, write, results workbook and report (median of $runs, one process)"
echo
target/release/examples/workbooks --runs "$runs" "${files[@]}"

reason_files=("${files[@]}")
if [ "$scaling" = 1 ]; then
  make_file xl 2> >(grep -v '^$' >&2)
  reason_files+=("$(file_of xl)")
fi
echo
echo "## reasons of whoever is eligible nowhere: every rule for every pair, and the indexes (median of $runs)"
echo
target/release/examples/reasons --runs "$runs" "${reason_files[@]}"

# Wall seconds and peak MiB of one command; "timeout" when it ran out of time.
measure() {
  local secs=$1; shift
  local t
  t=$(mktemp)
  local code=0
  /usr/bin/time -f "%e %M" -o "$t" timeout "$secs" "$@" > /dev/null 2>&1 || code=$?
  # exit 1 is "infeasible", an answer; 124 is the time limit.
  if [ "$code" = 0 ] || [ "$code" = 1 ]; then
    tail -n 1 "$t" | awk '{ printf "%s %.0f\n", $1, $2 / 1024 }'
  elif [ "$code" = 124 ]; then
    echo "timeout -"
  else
    echo "exit$code -"
  fi
  rm -f "$t"
}

median_palim() {
  local file=$1 i times=() peak=0
  for i in $(seq "$runs"); do
    read -r s m < <(measure 900 "$palim" solve "$file" --format json --out /dev/null)
    times+=("$s"); peak=$m
  done
  printf '%s\n' "${times[@]}" | sort -g | awk -v peak="$peak" '{ a[NR] = $1 } END { printf "%s %s\n", a[int((NR + 1) / 2)], peak }'
}

echo
echo "## whole process, side by side (palim: median of $runs; peers: one run, limit ${limit} s)"
echo
echo "| scenario | palim s | palim MiB | HiGHS (Python) s | ratio | OR-Tools min-cost flow s | ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for i in "${!list[@]}"; do
  s=${list[$i]} f=${files[$i]}
  read -r ps pm < <(median_palim "$f")
  hs="-" hr="-" ms="-" mr="-"
  if [ "$peers" = 1 ]; then
    read -r hs _ < <(measure "$limit" "$peer_python" "$shared/bench/reference.py" "$f" --models models -o "$out/$s.reference.json")
    read -r ms _ < <(measure "$limit" "$peer_python" "$shared/bench/mcf_reference.py" "$f" --models models -o "$out/$s.mcf.json")
    [[ "$ms" == exit3 ]] && ms="not a network"
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f×", b / a; else print "-" }'; }
    hr=$(ratio "$ps" "$hs")
    mr=$(ratio "$ps" "$ms")
  fi
  echo "| $(label "$s") | $ps | $pm | $hs | $hr | $ms | $mr |"
done
echo
echo "ratio = peer time / palim time (above 1: palim is faster)."

# The what-if sweep of the issue: 50 points of the baseline's Flemish permit days.
sweep_times=()
for i in $(seq "$runs"); do
  read -r s _ < <(measure 600 "$palim" sweep scenarios/palim-2020/baseline.json \
    --vary destinations.BE.permit_days=30..177:3 --csv "$out/sweep.csv")
  sweep_times+=("$s")
done
echo
echo "50-point sweep of the baseline (\`palim sweep … --vary destinations.BE.permit_days=30..177:3\`):" \
  "$(printf '%s\n' "${sweep_times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }') s, median of $runs."

# Median wall seconds of N runs of one command ("timeout" if any ran out).
median_of() {
  local secs=$1; shift
  local i t times=()
  for i in $(seq "$runs"); do
    read -r t _ < <(measure "$secs" "$@")
    times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

echo
echo "## after the solve: explanations, a re-plan, a comparison (median of $runs, each at most ${after_limit} s)"
echo
echo "| scenario | solve s | explain --trainee s | the same, from the solve's start s | the same, start kept s | explain --vacancy s | explain --rules s | re-plan (solve --keep) s | solve --explain s | compare base + 5 s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for i in "${!list[@]}"; do
  s=${list[$i]} f=${files[$i]}
  l=$(label "$s")
  result="$out/$l.after.result.json"
  "$palim" solve "$f" --format json --out "$result"
  # The start the solve kept beside its result (none where the flow solved it).
  rm -f "$result.solve-start"
  if [ -f "$result.start" ]; then cp "$result.start" "$result.solve-start"; fi
  # The questions: an unmatched trainee eligible somewhere, an open vacancy
  # (or the first one), and variants that forbid an announced match each.
  read -r trainee vacancy < <(python3 - "$f" "$result" "$out" "$l" <<'PY'
import json, os, sys
scenario, result, out, size = sys.argv[1:5]
m = json.load(open(result))
unmatched = [u["trainee"] for u in m["unmatched_trainees"] if u.get("eligible_somewhere")]
open_ = [o["vacancy"] for o in m["unfilled_positions"]]
trainee = (unmatched or [m["matches"][0]["trainee"]])[0]
vacancy = (open_ or [m["matches"][0]["vacancy"]])[0]
base = os.path.relpath(os.path.abspath(scenario), os.path.abspath(out))
for k, match in enumerate(m["matches"][:5], start=1):
    variant = {"format": "palim-variant/1", "name": f"{match['trainee']} cannot go to {match['vacancy']}",
               "base": base, "forbids": [{"trainee": match["trainee"], "vacancy": match["vacancy"]}]}
    json.dump(variant, open(f"{out}/{size}.forbid{k}.json", "w"), indent=1)
print(trainee, vacancy)
PY
)
  solve_s=$(median_of "$after_limit" "$palim" solve "$f" --format json --out /dev/null)
  # Each question from nothing: without a start beside the result
  # (RESULT.start); the trainee's also from the one the solve kept there,
  # and from the one a question before kept (none there to begin with).
  fresh=(sh -c 'rm -f "$0.start"; exec "$@"' "$result")
  solved=(sh -c 'rm -f "$0.start"; if [ -f "$0.solve-start" ]; then cp "$0.solve-start" "$0.start"; fi; exec "$@"' "$result")
  tr_s=$(median_of "$after_limit" "${fresh[@]}" "$palim" explain "$f" --result "$result" --trainee "$trainee" --format json)
  ts_s=$(median_of "$after_limit" "${solved[@]}" "$palim" explain "$f" --result "$result" --trainee "$trainee" --format json)
  rm -f "$result.start"
  "$palim" explain "$f" --result "$result" --trainee "$trainee" --format json > /dev/null
  tk_s=$(median_of "$after_limit" "$palim" explain "$f" --result "$result" --trainee "$trainee" --format json)
  va_s=$(median_of "$after_limit" "${fresh[@]}" "$palim" explain "$f" --result "$result" --vacancy "$vacancy" --format json)
  ru_s=$(median_of "$after_limit" "${fresh[@]}" "$palim" explain "$f" --result "$result" --rules --format json)
  re_s=$(median_of "$after_limit" "$palim" solve "$out/$l.forbid1.json" --keep "$result" --format json --out /dev/null)
  ex_s=$(median_of "$after_limit" "$palim" solve "$f" --explain --format json --out /dev/null)
  co_s=$(median_of "$after_limit" "$palim" compare "$f" "$out/$l".forbid{1,2,3,4,5}.json --format json)
  echo "| $l | $solve_s | $tr_s | $ts_s | $tk_s | $va_s | $ru_s | $re_s | $ex_s | $co_s |"
done
echo
echo "explain --trainee $trainee / --vacancy $vacancy (the last scenario's) and --rules read the solved match set (--result), each from nothing; 'from the solve's start' asks it from the start \`solve --out RESULT\` kept beside the result (RESULT.start; none where the flow solved it), 'start kept' from the one a question before kept there (none where the flow proves the match set); the re-plan forbids the first match and keeps the rest it can."

echo
echo "## interview shortlists (\`palim shortlist --per-position 3 --per-trainee 5\`; median of $runs, each at most ${after_limit} s)"
echo
echo "| scenario | eligible pairs | shortlist s | proof | positions covered | places used |"
echo "|---|---:|---:|---|---:|---:|"
for i in "${!list[@]}"; do
  s=${list[$i]} f=${files[$i]}
  l=$(label "$s")
  sl="$out/$l.shortlist.json"
  sl_s=$(median_of "$after_limit" "$palim" shortlist "$f" --per-position 3 --per-trainee 5 --time-limit "$after_limit" --format json --out "$sl")
  python3 - "$sl" "$l" "$sl_s" <<'PY'
import json, sys
path, size, secs = sys.argv[1:4]
try:
    d = json.load(open(path))
except Exception:
    print(f"| {size} | — | {secs} | — | — | — |"); sys.exit()
o = d["objective"]
print(f'| {size} | {d["solver"]["eligible_pairs"]} | {secs} | {d["solver"]["phases"][0]["proof"]} ({d["status"]}) '
      f'| {o["positions_covered"]} of {o["open_positions"]} | {o["places_used"]} of {o["places_wanted"]} |')
PY
done
# The pilot's second round, as the README runs it: the women share costs a
# covered position there, so the core method answers (target: 50 ms).
sl="$out/round-2.shortlist.json"
sl_s=$(median_of "$after_limit" "$palim" shortlist scenarios/palim-2020/round-2.json --per-position 3 --per-trainee 4 --time-limit "$after_limit" --format json --out "$sl")
python3 - "$sl" "$sl_s" <<'PY'
import json, sys
path, secs = sys.argv[1:3]
d = json.load(open(path))
o = d["objective"]
print(f'| palim round 2 (`--per-trainee 4`) | {d["solver"]["eligible_pairs"]} | {secs} | '
      f'{", ".join(p["proof"] for p in d["solver"]["phases"])} ({d["status"]}) '
      f'| {o["positions_covered"]} of {o["open_positions"]} | {o["places_used"]} of {o["places_wanted"]} |')
PY
