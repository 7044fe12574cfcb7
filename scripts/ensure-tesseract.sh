#!/bin/sh
# Make sure Tesseract and its French data are installed (OCR of scanned pages, issue 8).
# Installs tesseract-ocr and tesseract-ocr-fra with apt-get when they are missing (scripts/apt-install.sh: as root
# or with sudo); otherwise says what to install and exits 0, so the OCR tests skip visibly instead of failing.
set -u
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
sh "$(dirname "$0")/apt-install.sh" ensure-tesseract "tesseract-ocr tesseract-ocr-fra" "OCR tests will be skipped."
has_fra && echo "ensure-tesseract: Tesseract with French data is ready"
exit 0
