#!/bin/sh
# Make sure Tesseract and its French data are installed (OCR of scanned pages, issue 8).
# Installs tesseract-ocr and tesseract-ocr-fra with apt-get when they are missing and we are root or have sudo;
# otherwise says what to install and exits 0, so the OCR tests skip visibly instead of failing.
set -u
. "$(dirname "$0")/apt-install.sh"

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
apt_install ensure-tesseract "tesseract-ocr tesseract-ocr-fra" has_fra "OCR tests will be skipped."
exit 0
