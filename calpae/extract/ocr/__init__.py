"""OCR of scanned pages: Tesseract words, ruled grids from the image, borderless tables rebuilt from OCR words."""
