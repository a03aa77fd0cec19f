#!/usr/bin/env bash
# Regenerate the outcome table in scenarios/palim-2020/README.md from the
# what-if variants beside the baseline, with palim itself:
#   scripts/whatifs.sh          rewrite the table
#   scripts/whatifs.sh --check  fail if the table is out of date
set -euo pipefail
cd "$(dirname "$0")/.."
dir=scenarios/palim-2020
readme=$dir/README.md
files=("$dir/baseline.json")
for v in seven-month-training covid-flight-suspension split-40-80 ten-more-flemish-vacancies general-salary-floor women-30-percent; do
  files+=("$dir/$v.json")
done
palim=${PALIM:-target/release/palim}
[ -x "$palim" ] || cargo build --release --quiet
table=$("$palim" compare "${files[@]}" --format markdown)
new=$(awk -v table="$table" '
  /<!-- what-ifs: begin/ { print; print table; skip = 1; next }
  /<!-- what-ifs: end/ { skip = 0 }
  !skip { print }
' "$readme")
if [ "${1:-}" = "--check" ]; then
  [ "$new" = "$(cat "$readme")" ] || { echo "$readme is out of date: run scripts/whatifs.sh" >&2; exit 1; }
else
  printf '%s\n' "$new" > "$readme"
fi
