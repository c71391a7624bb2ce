"""Article types (定义/职责/禁止/程序/期限/法律责任/附则/列举) derived from an article's text and chapter, and the
types a question asks for ("有哪些" -> 列举, "多少日" -> 期限, "会怎样" -> 法律责任). Rules live in
knowledge/data/article_types.json; nothing here is hand-labelled per article."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .models import Article

TYPES_FILE = Path(__file__).parent / "data" / "article_types.json"
_ITEM = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]", re.M)


@dataclass(frozen=True)
class _Rule:
    text: tuple[re.Pattern, ...]
    chapter: tuple[re.Pattern, ...]
    items: bool


class ArticleTypes:
    def __init__(self, data: dict, fingerprint: str):
        self.fingerprint = fingerprint
        self.names: tuple[str, ...] = tuple(data["types"])
        self._rules = {name: _Rule(tuple(re.compile(p, re.M) for p in r.get("text", [])),
                                   tuple(re.compile(p) for p in r.get("chapter", [])), bool(r.get("items")))
                       for name, r in data["types"].items()}
        self._cues = {name: tuple(re.compile(p) for p in pats) for name, pats in data["cues"].items()}
        self._consequence = tuple(re.compile(p) for p in data["consequence"])

    @classmethod
    def load(cls, path: Path = TYPES_FILE) -> "ArticleTypes":
        raw = path.read_bytes()
        return cls(json.loads(raw.decode("utf-8")), hashlib.sha1(raw).hexdigest()[:12])

    def of(self, article: Article) -> frozenset[str]:
        """The types an article's text and chapter show (an article may have several)."""
        text, chapter = article.text, article.chapter or ""
        found = set()
        for name, rule in self._rules.items():
            if any(p.search(chapter) for p in rule.chapter) or (rule.items and _ITEM.search(text)) or \
                    any(p.search(text) for p in rule.text):
                found.add(name)
        return frozenset(found)

    def asked(self, question: str) -> frozenset[str]:
        """The types a question asks for, from its wording."""
        return frozenset(name for name, pats in self._cues.items() if any(p.search(question) for p in pats))

    def consequence(self, question: str) -> bool:
        """A real 'what happens if' cue: not any 处分/处罚 (政务处分的种类 asks for a list, not a liability)."""
        return any(p.search(question) for p in self._consequence)


@lru_cache(maxsize=1)
def default_types() -> ArticleTypes:
    return ArticleTypes.load()
