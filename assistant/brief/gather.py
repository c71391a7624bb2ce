"""Candidate articles for a topic: the topic searched (hybrid, without the re-ranker: the brief's own scoring
orders what it gathers), its core terms searched lexically, every article of the laws made for the topic, the
province's regulations searched on their own (national laws would crowd them out), and chapters named for it."""

from __future__ import annotations

from dataclasses import replace

from knowledge.models import Article, Law

from .score import Candidate, Scorer
from .scope import Scope
from .topics import term_score

WHOLE_LAW_MAX = 600  # a law read whole: its articles, at most this many
SPECIFIC_READ = 2  # searched laws made for the topic (粮食安全保障法 for 粮食安全…) read whole, at most this many


class Gatherer:
    def __init__(self, kb, scope: Scope, scorer: Scorer, top_k: int = 40):
        self.kb = kb
        self.scope = scope
        self.scorer = scorer
        self.top_k = top_k
        self.best: dict[str, tuple[float, Article, Law]] = {}  # article id -> (search value, article, law)

    def _note(self, value: float, art: Article, law: Law) -> None:
        old = self.best.get(art.article_id)
        if old is None or old[0] < value:
            self.best[art.article_id] = (value, art, law)

    def _read_whole(self, law: Law) -> None:
        self.scope.read_whole.add(law.law_id)
        for art in self.kb.catalog.articles(law.law_id)[:WHOLE_LAW_MAX]:
            self.best.setdefault(art.article_id, (0.0, art, law))

    def queries(self) -> list[str]:
        u = self.scope.u
        core = sorted(u.weights.items(), key=lambda kv: -kv[1])
        strong = [t for t, w in core if w >= 3][:4]
        out = [u.topic]
        if strong:
            out.append(" ".join(strong))
            out.extend(strong[:3])
        return list(dict.fromkeys(out))

    def gather(self, forced: dict[str, tuple[Law, str]], restrict: set[str] | None, exclude: set[str],
               user: set[str]) -> dict[str, dict[str, Candidate]]:
        u, scope = self.scope.u, self.scope
        queries = self.queries()
        law_filter = sorted(restrict) if restrict else None
        no_rerank = replace(self.kb.config, rerank=False) if hasattr(self.kb, "config") else None
        for q in queries:
            # the topic itself through the hybrid search; its term queries lexically: they only gather
            # candidates, and a brief stays well within a few seconds
            mode = "hybrid" if q == u.topic else "lexical"
            for h in self.kb.search(q, top_k=self.top_k, law=law_filter, mode=mode, config=no_rerank):
                self._note(1.0 / (h.rank + 4), h.article, h.law)
        if not restrict:  # the province's own regulations, which national laws would crowd out of one search
            provincial = [law.law_id for law in scope._laws if scope.provincial(law) and scope.usable(law)]
            if provincial:
                for q in queries[:2]:
                    for h in self.kb.search(q, top_k=12, law=provincial, mode="lexical"):
                        self._note(0.5 / (h.rank + 4), h.article, h.law)
        for law_id, (law, reason) in forced.items():  # each governing law's own best articles
            if reason == "主题点名" or scope.specific(law):
                self._read_whole(law)  # a law made for the topic: every article is a candidate
            for q in queries[:2]:
                for h in self.kb.search(q, top_k=20, law=law_id, mode="lexical"):
                    self._note(0.5 / (h.rank + 4), h.article, h.law)
        if not u.entries:  # no registry entry: the laws made for the topic that search found are read whole
            ranked = sorted(self.best.values(), key=lambda x: -x[0])
            specific = [law for law in dict.fromkeys(law for _v, _a, law in ranked)
                        if law.law_id not in forced and scope.usable(law) and scope.specific(law)]
            for law in specific[:SPECIFIC_READ]:
                self._read_whole(law)
        # a chapter named for the topic (第四章 耕地保护) is read whole: its articles need not repeat the words
        chapters = {(law.law_id, art.chapter) for _v, art, law in self.best.values()
                    if art.chapter and term_score(art.chapter, u.words) >= 2}
        for law_id, chapter in chapters:
            law = self.kb.catalog.law(law_id)
            for art in self.kb.catalog.articles(law_id):
                if art.chapter == chapter:
                    self.best.setdefault(art.article_id, (0.0, art, law))
        out: dict[str, dict[str, Candidate]] = {}
        for aid, (value, art, law) in self.best.items():
            if law.law_id in exclude or not law.is_current or (restrict and law.law_id not in restrict):
                continue
            cand = self.scorer.candidate(law, art, value, user=law.law_id in user)
            if cand is not None:
                out.setdefault(law.law_id, {})[aid] = cand
        return out
