#!/usr/bin/env bash
# Make sure this machine can build palim: a Rust toolchain, plus CMake and
# libclang for the HiGHS solver (highs-sys builds HiGHS from source and
# generates its bindings with bindgen). Installs what is missing with apt-get
# when it can; otherwise says exactly what to run.
set -euo pipefail

missing=()
command -v cargo >/dev/null 2>&1 || { echo "palim needs Rust (cargo): install it from https://rustup.rs, then run this again." >&2; exit 1; }
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v c++ >/dev/null 2>&1 || missing+=(g++)
have_libclang() {
  [ -n "${LIBCLANG_PATH:-}" ] && return 0
  local pattern
  for pattern in '/usr/lib/llvm-*/lib/libclang*.so*' '/usr/lib/*-linux-gnu/libclang*.so*' '/usr/local/lib/libclang*.so*'; do
    compgen -G "$pattern" >/dev/null && return 0
  done
  return 1
}
have_libclang || missing+=(libclang-dev)

[ ${#missing[@]} -eq 0 ] && exit 0

echo "palim: installing build prerequisites for the HiGHS solver: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "palim: missing ${missing[*]}; as root run: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "palim: missing ${missing[*]}; install them with your package manager (CMake >= 3.15, libclang for bindgen, a C++ compiler)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "palim: installed ${missing[*]}" >&2
