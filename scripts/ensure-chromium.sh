#!/bin/sh
# Make sure a headless Chromium is installed for the report's browser test (issue 15).
# Installs Debian's chromium with apt-get when it is missing and we are root or have sudo; otherwise says what
# to install and exits 0, so the browser test skips visibly (the report's link and asset checks run anyway).
set -u
PACKAGES="chromium"

has_chromium() {
    command -v chromium >/dev/null 2>&1 && chromium --version >/dev/null 2>&1
}

if has_chromium; then
    exit 0
fi
echo "ensure-chromium: Chromium is not installed"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: no apt-get here; install Chromium ($PACKAGES) yourself. The browser test will be skipped."
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "ensure-chromium: not root and no password-less sudo; run: sudo apt-get install -y $PACKAGES. The browser test will be skipped."
    exit 0
fi
echo "ensure-chromium: installing $PACKAGES with apt-get"
if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $PACKAGES \
    || { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q \
         && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $PACKAGES; }; then
    has_chromium && echo "ensure-chromium: $(chromium --version 2>/dev/null) is ready" && exit 0
fi
echo "ensure-chromium: installation failed; run: sudo apt-get install -y $PACKAGES. The browser test will be skipped."
exit 0
