#!/usr/bin/env bash
# Run palim's fuzz targets (cargo fuzz, libFuzzer) for a while each.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Targets (fuzz/fuzz_targets/): scenario (scenario text), mutate (a small
# scenario with fields set to extremes, wrong types and edge dates), variant
# (a variant and its base), server (request bodies to the real server on
# loopback), workbook (bytes as .xlsx, .ods and CSV sheets). A finding is written to fuzz/artifacts/TARGET/; replay it with
# `RUSTC_BOOTSTRAP=1 cargo fuzz run -O -s none TARGET FILE` from fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(scenario mutate variant server workbook)
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
# cargo fuzz needs nightly flags; the stable toolchain accepts them with this.
export RUSTC_BOOTSTRAP=1
# No sanitizer: palim has no unsafe code of its own, and what is looked for
# is a panic, an abort or a hang (HiGHS's C++ is not instrumented either way).
cargo fuzz build -O -s none
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  if [ -z "$(ls -A "corpus/$t")" ]; then
    # A target's own seed (seeds/TARGET.*) when it has one, else the small scenario.
    compgen -G "seeds/$t.*" >/dev/null && cp seeds/"$t".* "corpus/$t/" || cp seeds/small.json "corpus/$t/"
  fi
  echo "fuzz: $t for $seconds s" >&2
  cargo fuzz run -O -s none "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -max_len=12000 -timeout=60 -rss_limit_mb=4096 -print_final_stats=1
done
