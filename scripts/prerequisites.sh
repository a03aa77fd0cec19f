#!/usr/bin/env bash
# Make sure this machine can build palim: a Rust toolchain, C and C++ compilers,
# CMake and libclang for the HiGHS solver (highs-sys builds HiGHS from source
# and generates its bindings with bindgen). Installs what is missing with
# apt-get when it can; otherwise says exactly what to run.
#
#   scripts/prerequisites.sh           check, and install what is missing
#   scripts/prerequisites.sh --check   check only: print what is missing, exit 1 if anything is
#
# What bindgen needs is not "a file named libclang*": it loads the shared
# library libclang itself (libclang.so, libclang-14.so.1, libclang.so.14, ...),
# never libclang-cpp (the C++ interface that Debian images often ship alone),
# and it needs clang's own headers (stddef.h, from libclang-common-N-dev),
# which the runtime package libclang1-N does not bring. Both are checked.
#
# PALIM_LIBCLANG_DIRS (folders, separated by ':') replaces the folders searched
# for libclang, so tests can check the detection against folders they made.
# LIBCLANG_PATH, bindgen's own setting, is honoured: when it is set, only that
# folder is searched, as bindgen would.
set -euo pipefail

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

# The folders where bindgen (clang-sys) finds libclang on Linux.
libclang_dirs() {
  if [ -n "${PALIM_LIBCLANG_DIRS:-}" ]; then
    tr ':' '\n' <<<"$PALIM_LIBCLANG_DIRS"
  elif [ -n "${LIBCLANG_PATH:-}" ]; then
    echo "$LIBCLANG_PATH"
  else
    local d
    for d in /usr/lib/llvm-*/lib /usr/lib/*-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
      [ -d "$d" ] && echo "$d"
    done
  fi
}

# True when FILE's name is the libclang library bindgen loads: libclang.so,
# libclang.so.N, libclang-N.so or libclang-N.so.M (N a version), and not
# libclang-cpp.so.N or any other library whose name merely starts the same.
is_libclang_name() {
  [[ "$1" =~ ^libclang(-[0-9][0-9.]*)?\.so(\.[0-9][0-9.]*)?$ ]]
}

# The folder holding libclang, or nothing.
find_libclang() {
  local dir file
  while IFS= read -r dir; do
    [ -d "$dir" ] || continue
    for file in "$dir"/libclang*; do
      [ -e "$file" ] || continue
      if is_libclang_name "$(basename "$file")"; then
        echo "$dir"
        return 0
      fi
    done
  done < <(libclang_dirs)
  return 1
}

# True when clang's builtin headers sit where libclang in folder $1 looks for
# them (its resource folder, lib/clang/VERSION/include), or in any LLVM install.
have_clang_headers() {
  local dir=$1 real
  compgen -G "$dir/clang/*/include/stddef.h" >/dev/null && return 0
  # Debian's /usr/lib/x86_64-linux-gnu/libclang-14.so.1 is a link into
  # /usr/lib/llvm-14/lib, and libclang resolves its resource folder from there.
  for real in "$dir"/libclang*; do
    [ -e "$real" ] || continue
    is_libclang_name "$(basename "$real")" || continue
    real=$(dirname "$(readlink -f "$real")")
    compgen -G "$real/clang/*/include/stddef.h" >/dev/null && return 0
  done
  [ -n "${PALIM_LIBCLANG_DIRS:-}" ] && return 1
  compgen -G '/usr/lib/llvm-*/lib/clang/*/include/stddef.h' >/dev/null
}

missing=()
reasons=()
command -v cargo >/dev/null 2>&1 || { echo "palim needs Rust (cargo): install it from https://rustup.rs, then run this again." >&2; exit 1; }
command -v cmake >/dev/null 2>&1 || { missing+=(cmake); reasons+=("cmake: not on PATH"); }
command -v c++ >/dev/null 2>&1 || { missing+=(g++); reasons+=("c++: not on PATH"); }
# mimalloc, the binary's allocator, is C (and cargo links with cc).
command -v cc >/dev/null 2>&1 || { missing+=(gcc); reasons+=("cc: not on PATH"); }
if libclang_dir=$(find_libclang); then
  if ! have_clang_headers "$libclang_dir"; then
    missing+=(libclang-dev)
    reasons+=("libclang is in $libclang_dir, but clang's headers (clang/*/include/stddef.h) are not beside it")
  fi
else
  missing+=(libclang-dev)
  reasons+=("no libclang (libclang.so, libclang-N.so.M) in: $(libclang_dirs | paste -sd ' ' -)${LIBCLANG_PATH:+ (LIBCLANG_PATH)}")
fi

if [ ${#missing[@]} -eq 0 ]; then
  [ $check_only -eq 1 ] && echo "palim: build prerequisites present (libclang in $libclang_dir)"
  exit 0
fi

for reason in "${reasons[@]}"; do echo "palim: missing $reason" >&2; done
if [ $check_only -eq 1 ]; then
  echo "palim: to install them, as root run: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "palim: installing build prerequisites for the HiGHS solver: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "palim: as root run: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "palim: install them with your package manager (CMake >= 3.15, a C++ compiler, libclang and clang's headers for bindgen), or set LIBCLANG_PATH to the folder holding libclang.so." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "palim: apt-get could not install ${missing[*]}; as root run: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
# Installed, but is it what bindgen loads? Check again rather than trust the package name.
if ! "$0" --check >/dev/null; then
  "$0" --check || true
  exit 1
fi
echo "palim: installed ${missing[*]}" >&2
