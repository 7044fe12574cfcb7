#!/bin/sh
# Make sure a headless Chromium is installed for the report's browser test (issue 15): Debian's chromium, installed
# with apt-get when missing (scripts/apt-install.sh). Where it cannot be, the browser test skips and says why; the
# report's link and image checks run anyway.
set -u
has_chromium() {
    command -v chromium >/dev/null 2>&1 && chromium --version >/dev/null 2>&1
}
if has_chromium; then
    exit 0
fi
echo "ensure-chromium: Chromium is not installed"
sh "$(dirname "$0")/apt-install.sh" ensure-chromium chromium "The browser test will be skipped."
has_chromium && echo "ensure-chromium: $(chromium --version 2>/dev/null) is ready"
exit 0
