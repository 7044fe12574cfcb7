"""Scanned-looking copies: pages rendered to 150 dpi greyscale images, skewed under 1°, speckled, saved image-only."""

from __future__ import annotations

import random
from pathlib import Path

DPI = 150


def scan_pdf(source: Path, target: Path, seed: str, quality: int = 40, dpi: int = DPI) -> dict:
    """Write an image-only PDF of `source` at `dpi`; returns what was done (dpi, skew per page, noise) for the truth."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(str(source))
    images, skews = [], []
    try:
        for page in pdf:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            angle = round(rng.uniform(-0.9, 0.9), 2)
            image = image.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor=255)
            pixels = np.asarray(image, dtype=np.int16)
            noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 9, pixels.shape)
            specks = np.random.default_rng(rng.randrange(2**32)).random(pixels.shape) < 0.0008
            pixels = np.clip(pixels + noise, 0, 255)
            pixels[specks] = 40
            image = Image.fromarray(pixels.astype(np.uint8), "L").filter(ImageFilter.GaussianBlur(0.4))
            images.append(image)
            skews.append(angle)
    finally:
        pdf.close()
    images[0].save(target, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=quality)
    return {"dpi": dpi, "skew_degrees": skews, "noise_sigma": 9, "speck_rate": 0.0008, "jpeg_quality": quality}
