"""Check the brief topic registry (assistant/brief/data/topics.yaml) against a built knowledge base.

    python benchmarks/brief_registry.py --home DIR [--registry FILE] [--show]

For every topic: each governing instrument resolves to a current law of that exact title (else it is reported as
"未收录" — the brief's coverage notice will name it), each key article exists, and — as a warning — a key article
whose first sentence addresses companies or citizens rather than government (the registry should list the
government's duties and liabilities first). `--show` prints the head of every key article for a read-through.
Exit status 1 when a key article does not exist or an instrument resolves to a differently titled law."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def check(kb, registry, show: bool = False) -> dict:
    from assistant.brief import kinds
    from knowledge.numerals import int_to_cn

    errors, warnings, missing = [], [], []
    n_articles = 0
    for entry in registry.topics:
        for ins in entry.instruments:
            exact = [law for law in kb.catalog.laws_by_title(ins.title) if law.is_current]
            if not exact:
                other = kb.resolve_law(ins.title)
                if other is not None and ins.articles:
                    errors.append(f"{entry.name}：《{ins.title}》不在库中，名称解析为《{other.title}》")
                else:
                    missing.append(f"{entry.name}：《{ins.title}》（{ins.level or '未注明级别'}）")
                continue
            law = exact[0]
            for number, paragraph in ins.articles:
                n_articles += 1
                art = kb.catalog.article(law.law_id, number, 0)
                label = f"{entry.name}：《{law.title}》第{int_to_cn(number)}条" + (
                    f"第{int_to_cn(paragraph)}款" if paragraph else "")
                if art is None:
                    errors.append(f"{label} 不存在")
                    continue
                text = art.paragraph_text(paragraph) if paragraph else art.text
                if paragraph and not art.paragraph_text(paragraph):
                    errors.append(f"{label} 不存在（该条没有这一款）")
                    continue
                if kinds.boilerplate(art):
                    warnings.append(f"{label} 是{kinds.boilerplate(art)}条款")
                if kinds.audience(text) < 1:
                    warnings.append(f"{label} 主要规范企业或个人：{text[:40]}")
                if show:
                    print(f"  {label}【{kinds.theme(art, text)}】{text[:90].replace(chr(10), ' / ')}")
    return {"topics": len(registry.topics), "key_articles": n_articles, "errors": errors,
            "warnings": warnings, "missing": missing}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=Path(os.environ.get("XUEFA_HOME", "")) or None)
    ap.add_argument("--registry", type=Path, help="a registry file other than the built-in one")
    ap.add_argument("--show", action="store_true", help="print the head of every key article")
    args = ap.parse_args(argv)
    if not args.home or not Path(args.home).is_dir():
        ap.error("需要 --home 指向已建好的知识库目录（或设置 XUEFA_HOME）")
    from assistant.brief.topics import DATA, load_registry
    from assistant.config import Settings
    from assistant.services import build_services

    services = build_services(Settings(home=args.home, national=False), llm=None, load_national=False,
                              vectors="skip")
    report = check(services.kb, load_registry(args.registry or DATA), show=args.show)
    for kind in ("errors", "warnings", "missing"):
        for line in report[kind]:
            print(f"[{kind}] {line}")
    print(f"topics {report['topics']}, key articles {report['key_articles']}, errors {len(report['errors'])}, "
          f"warnings {len(report['warnings'])}, instruments not in the knowledge base {len(report['missing'])}")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
