#!/usr/bin/env bash
# System packages some tests need, installed when missing (CI and developers run as root):
#   chromium  - headless browser for the page tests (Debian's package, about 540 MB)
#   java      - a Java runtime for the HermiT reasoner (owlready2)
# Without root or network the tests that need them are skipped with a message, never failed.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "install-system-deps: not root; missing: ${need[*]} (their tests will be skipped)" >&2
  exit 0
fi
echo "install-system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || echo "install-system-deps: could not install ${need[*]} (their tests will be skipped)" >&2
exit 0
