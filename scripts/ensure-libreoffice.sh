#!/bin/sh
# Make sure LibreOffice (headless Writer and Calc), office fonts and pdftotext are installed: needed only to
# build the office corpus family (`python -m corpora build --family office`, issue 18), never by `make demo`
# or `make test` (the tests use the committed fixtures and skip the LibreOffice build visibly without it).
# Installs with apt-get when something is missing (scripts/apt-install.sh: as root or with sudo); otherwise says
# what to install and exits 0.
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
sh "$(dirname "$0")/apt-install.sh" ensure-libreoffice "$PACKAGES" "The office family cannot be built here."
ready && echo "ensure-libreoffice: LibreOffice, fonts and pdftotext are ready"
exit 0
