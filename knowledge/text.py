"""Text comparison form shared by the knowledge base, the citation verifier and briefs (stdlib only)."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_PUNCT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "（": "(", "）": ")",
                        "，": ",", "；": ";", "：": ":", "。": "."})


def normalize_text(s: str) -> str:
    """For 'does this sentence occur in the law' checks: NFKC, no whitespace, unified quotes/punctuation."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", s)).translate(_PUNCT)
