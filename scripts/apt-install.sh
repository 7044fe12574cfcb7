#!/bin/sh
# apt-install.sh NAME "PACKAGES" "WHAT IS SKIPPED": install Debian packages when we are root or have password-less
# sudo (waiting for another apt to finish), else say what to install. Always exits 0: the callers' tests skip
# visibly instead of failing. Shared by ensure-tesseract.sh and ensure-chromium.sh.
set -u
NAME=$1
PACKAGES=$2
SKIPPED=$3
if ! command -v apt-get >/dev/null 2>&1; then
    echo "$NAME: no apt-get here; install $PACKAGES yourself. $SKIPPED"
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "$NAME: not root and no password-less sudo; run: sudo apt-get install -y $PACKAGES. $SKIPPED"
    exit 0
fi
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"
echo "$NAME: installing $PACKAGES with apt-get"
$APT install -y -q --no-install-recommends $PACKAGES \
    || { $APT update -q && $APT install -y -q --no-install-recommends $PACKAGES; } \
    || echo "$NAME: installation failed; run: sudo apt-get install -y $PACKAGES. $SKIPPED"
exit 0
