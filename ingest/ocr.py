"""The only module that imports rapidocr: text of scanned pages (红头文件 scanned to PDF).

rapidocr-onnxruntime ships the PP-OCRv4 Chinese detection/recognition weights inside its wheel, so nothing
is downloaded. Recognised boxes are put back into lines (reading order: top to bottom, then left to right),
and a line that starts clearly right of the page's text margin gets a leading indent, which the structure
parser reads as a paragraph start — the same signal a PDF text layer gives."""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()


def _engine():
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            from rapidocr_onnxruntime import RapidOCR

            _ENGINE = RapidOCR()
        return _ENGINE


def ocr_image(image) -> str:  # noqa: ANN001 - a PIL image
    """Text lines of one page image, "\\n"-joined, indented lines prefixed with two spaces."""
    import numpy as np

    rgb = np.asarray(image.convert("RGB"))
    engine = _engine()
    with _RUN_LOCK:  # one page at a time: the engine is shared by the process
        result, _ = engine(rgb, use_cls=False)  # scans are upright; the angle classifier only costs time
    if not result:
        return ""
    boxes = []
    for points, text, _score in result:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        boxes.append((min(ys), max(ys), min(xs), max(xs), text))
    return "\n".join(_lines(boxes, width=rgb.shape[1]))


def _lines(boxes: list[tuple[float, float, float, float, str]], width: int) -> list[str]:
    """Group boxes whose vertical centres fall within one another's height into lines."""
    boxes.sort(key=lambda b: (b[0] + b[1]) / 2)
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for box in boxes:
        centre = (box[0] + box[1]) / 2
        if lines:
            top = min(b[0] for b in lines[-1])
            bottom = max(b[1] for b in lines[-1])
            if top <= centre <= bottom:
                lines[-1].append(box)
                continue
        lines.append([box])
    if not lines:
        return []
    lefts = sorted(min(b[2] for b in ln) for ln in lines)
    margin = lefts[len(lefts) // 10] if len(lefts) >= 10 else lefts[0]  # the text block's left edge
    heights = sorted(b[1] - b[0] for ln in lines for b in ln)
    char = heights[len(heights) // 2] or 1.0  # a character is about as wide as the line is high
    out = []
    for ln in lines:
        ln.sort(key=lambda b: b[2])
        text = "".join(b[4] for b in ln).strip()
        left = ln[0][2]
        centred = abs((left + ln[-1][3]) / 2 - width / 2) < char and left > margin + 3 * char
        indent = not centred and margin + 1.2 * char < left < margin + 4 * char
        out.append(("  " if indent else "") + text)
    return out


def ocr_pdf_page(page) -> str:  # noqa: ANN001 - a pypdf PageObject
    """OCR of a page's images (a scanned page is one image; several are OCR'd top to bottom)."""
    texts = []
    for img in page.images:
        try:
            texts.append(ocr_image(img.image))
        except Exception as exc:  # noqa: BLE001 - one unreadable image must not stop the document
            log.warning("OCR failed on an image: %r", exc)
    return "\n".join(t for t in texts if t)
