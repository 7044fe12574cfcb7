#!/bin/sh
# Make sure LibreOffice (headless Writer and Calc), office fonts and pdftotext are installed: needed only to
# build the office corpus family (`python -m corpora build --family office`, issue 18), never by `make demo`
# or `make test` (the tests use the committed fixtures and skip the LibreOffice build visibly without it).
# Installs with apt-get when something is missing and we are root or have sudo; otherwise says what to install
# and exits 0.
set -u
PACKAGES="libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 fonts-crosextra-carlito fonts-crosextra-caladea fonts-dejavu-core poppler-utils"

ready() {
    command -v soffice >/dev/null 2>&1 \
        && command -v pdftotext >/dev/null 2>&1 \
        && fc-list 2>/dev/null | grep -q "Liberation Serif" \
        && fc-list 2>/dev/null | grep -q "Carlito"
}

if ready; then
    exit 0
fi
echo "ensure-libreoffice: LibreOffice, its fonts or pdftotext are missing"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-libreoffice: no apt-get here; install $PACKAGES (or your system's equivalents) yourself."
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "ensure-libreoffice: not root and no password-less sudo; run: sudo apt-get install -y $PACKAGES"
    exit 0
fi
echo "ensure-libreoffice: installing $PACKAGES with apt-get"
if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PACKAGES \
    || { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q \
         && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PACKAGES; }; then
    ready && echo "ensure-libreoffice: LibreOffice, fonts and pdftotext are ready" && exit 0
fi
echo "ensure-libreoffice: installation failed; run: sudo apt-get install -y $PACKAGES"
exit 0
