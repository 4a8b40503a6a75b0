#!/usr/bin/env bash
# Installs the Debian packages iowq-bench builds on, if any is missing (needs root):
#   libjemalloc-dev  worker records and allocator statistics (leaked bytes, bytes per worker)
#   liburing-dev     the live kernel anchor through io_uring
#   pkg-config       how SwiftPM finds both
# With arguments, installs those packages instead, the same way (scripts/install-guest-deps.sh).
set -euo pipefail
if [ $# -gt 0 ]; then packages=("$@"); else packages=(libjemalloc-dev liburing-dev pkg-config); fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
