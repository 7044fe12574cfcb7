#!/bin/sh
# Make sure Tesseract and its French data are installed (OCR of scanned pages, issue 8).
# Installs tesseract-ocr and tesseract-ocr-fra with apt-get when they are missing and we are root or have sudo;
# otherwise says what to install and exits 0, so the OCR tests skip visibly instead of failing.
set -u
PACKAGES="tesseract-ocr tesseract-ocr-fra"

has_fra() {
    command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx fra
}

if has_fra; then
    exit 0
fi
if command -v tesseract >/dev/null 2>&1; then
    echo "ensure-tesseract: Tesseract is installed but its French data (fra) is missing"
else
    echo "ensure-tesseract: Tesseract is not installed"
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-tesseract: no apt-get here; install Tesseract 5 with French data ($PACKAGES) yourself. OCR tests will be skipped."
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "ensure-tesseract: not root and no password-less sudo; run: sudo apt-get install -y $PACKAGES. OCR tests will be skipped."
    exit 0
fi
echo "ensure-tesseract: installing $PACKAGES with apt-get"
if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PACKAGES \
    || { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q \
         && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PACKAGES; }; then
    has_fra && echo "ensure-tesseract: Tesseract with French data is ready" && exit 0
fi
echo "ensure-tesseract: installation failed; run: sudo apt-get install -y $PACKAGES. OCR tests will be skipped."
exit 0
