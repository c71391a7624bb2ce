"""Progress shown in the terminal (CLI and `xuefa serve` start-up): one tqdm bar per phase."""

from __future__ import annotations

import sys


def tqdm_progress():
    """A (done, total, what) callback drawing one tqdm bar per phase on stderr."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(done: int, total: int, what: str) -> None:
        bar = bars.get(what)
        if bar is None:
            unit = "件" if ("载入" in what or "导入" in what) else "条"  # documents, or articles
            bar = bars[what] = tqdm(total=total, desc=what, unit=unit, file=sys.stderr, leave=False)
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return progress
