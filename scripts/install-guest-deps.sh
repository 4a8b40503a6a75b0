#!/usr/bin/env bash
# Installs what `bench kernels` needs to boot Debian's kernels in qemu guests (needs root):
#   qemu-system-x86  the emulator (KVM where it works, TCG otherwise)
#   kmod             depmod, which virtme-ng runs over the unpacked modules
#   busybox-static   the guest's initramfs tools
#   virtme-ng        (PyPI) boots a kernel over the host's root file system, shared read-only
# The kernel images themselves are fetched by `bench kernels` (apt-get download, never installed).
set -euo pipefail
"$(dirname "$0")/install-deps.sh" qemu-system-x86 kmod busybox-static
command -v vng >/dev/null || python3 -m pip install --quiet --disable-pip-version-check virtme-ng
# bench kernels finds Debian's kernel images with apt-cache: it needs the package lists
ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1 || apt-get update -qq
