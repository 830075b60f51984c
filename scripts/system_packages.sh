#!/usr/bin/env bash
# The system tools the tests need (make test runs this first): tmux (terminal test),
# curl, PostgreSQL and Redis (privacy and scale-out tests, started on loopback by
# the tests themselves) and Chromium (browser tests). Missing ones are installed
# with apt-get when that is possible (as root, or with sudo that asks no
# password); otherwise this stops at once with the one command to run.
set -euo pipefail

packages=(tmux curl postgresql redis-server chromium)
missing=()
for pkg in "${packages[@]}"; do
  if command -v dpkg >/dev/null 2>&1; then
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  else
    case "$pkg" in
      postgresql) compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=("$pkg") ;;
      *) command -v "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
    esac
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get update && apt-get install -y ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need: ${missing[*]}. Install them with your system's package manager, then run make test again." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "The tests need system packages that are not installed: ${missing[*]}." >&2
  echo "Run this once, then make test again:" >&2
  echo "  sudo sh -c '$command'" >&2
  exit 1
fi
echo "Installing the system packages the tests need: ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
