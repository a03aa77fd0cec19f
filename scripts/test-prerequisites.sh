#!/usr/bin/env bash
# What the tests that use palim as a person would need besides the build:
# LibreOffice (a workbook saved by it must still read), Debian's Chromium (the
# HTML report must render without console errors) with a font, and Python's
# openpyxl (a template filled by another program must solve like the JSON),
# and Node.js with npm, which run Playwright (playwright-core, from npm) for
# the officer's page in that same chromium (scripts/browser-tests.sh).
# Installs what is missing with apt-get and pip; `--check` only reports.
set -euo pipefail

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

packages=()
# soffice alone is not enough: LibreOffice's common package brings it without
# Calc (libsclo), which is what reads and writes spreadsheets.
calc_present() {
  local soffice
  soffice=$(command -v soffice 2>/dev/null) || return 1
  compgen -G "$(dirname "$(readlink -f "$soffice")")/libsclo*.so" >/dev/null
}
calc_present || packages+=(libreoffice-calc-nogui)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
[ -n "$(fc-list 2>/dev/null | head -n 1)" ] || packages+=(fonts-dejavu-core)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
need_openpyxl=0
python3 -c 'import openpyxl' 2>/dev/null || need_openpyxl=1

if [ ${#packages[@]} -eq 0 ] && [ $need_openpyxl -eq 0 ]; then
  [ $check_only -eq 1 ] && echo "palim: test prerequisites present (LibreOffice Calc, chromium, openpyxl, node and npm)"
  exit 0
fi
if [ $check_only -eq 1 ]; then
  extra=""; [ $need_openpyxl -eq 1 ] && extra=" openpyxl (Python)"
  echo "palim: the tests also need: ${packages[*]}${extra}" >&2
  exit 1
fi

sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
if [ ${#packages[@]} -gt 0 ]; then
  echo "palim: installing for the tests: ${packages[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
if [ $need_openpyxl -eq 1 ]; then
  echo "palim: installing openpyxl for the tests" >&2
  python3 -m pip install --quiet openpyxl 2>/dev/null \
    || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-openpyxl >/dev/null
  python3 -c 'import openpyxl' || { echo "palim: could not install openpyxl for $(command -v python3)" >&2; exit 1; }
fi
