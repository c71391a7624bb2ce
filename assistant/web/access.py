"""Who may fetch which file through Gradio's file route, and who may upload at all.

Exports (papers, keys, briefs) live in <home>/exports/<user dir>/<id>/ and Gradio serves a copy from its
cache (a directory named by the content's hash). Before, any signed-in user with the URL could download
another user's export. Now an export, or a cached copy with the same bytes, is served only to its owner
and to administrators; anything else is Gradio's business. Only administrators, unit admins and setters
upload (documents, user lists, question sheets): a learner's uploads would only pile up in the temp directory."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from assistant.exam.grading import user_dirname


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class FileAccess:
    def __init__(self, exports_root: Path, users, local_mode: bool = False):
        self.root = Path(exports_root).resolve()
        self.users = users
        self.local_mode = local_mode
        self._owners: dict[tuple[str, int, float], set[str]] = {}  # (path, size, mtime) -> owner dir names
        self._lock = threading.Lock()

    def _is_admin(self, username: str | None) -> bool:
        user = self.users.get(username) if username else None
        return bool(user and user.is_admin)

    def may_upload(self, username: str | None) -> bool:
        """Administrators (documents), unit admins (user lists) and setters (question sheets)."""
        if self.local_mode:
            return True
        user = self.users.get(username) if username else None
        return bool(user and (user.manages_units or user.sets_items))

    def may_read(self, username: str | None, path: str) -> bool:
        if self.local_mode or self._is_admin(username):
            return True
        try:
            target = Path(path).resolve()
        except (OSError, ValueError):
            return True  # not a file we know: Gradio decides (and refuses)
        mine = user_dirname(username) if username else None
        if target.is_relative_to(self.root):
            rel = target.relative_to(self.root).parts
            return bool(rel) and rel[0] == mine
        owners = self._owners_of_copy(target)
        return owners is None or mine in owners

    def _owners_of_copy(self, target: Path) -> set[str] | None:
        """Owners of the exports with the same bytes as `target`, or None when it is no export's copy."""
        try:
            st = target.stat()
        except OSError:
            return None
        if not target.is_file() or target.suffix.lower() not in (".docx", ".md", ".json", ".pdf", ".txt"):
            return None
        key = (str(target), st.st_size, st.st_mtime)
        with self._lock:
            if key in self._owners:
                return self._owners[key] or None
        digest = None
        owners: set[str] = set()
        for f in self.root.glob(f"*/*/*{target.suffix}"):
            try:
                if f.stat().st_size != st.st_size:
                    continue
                digest = digest or _sha256(target)
                if _sha256(f) == digest:
                    owners.add(f.relative_to(self.root).parts[0])
            except OSError:
                continue
        with self._lock:
            self._owners[key] = owners
            if len(self._owners) > 5000:
                self._owners.pop(next(iter(self._owners)))
        return owners or None
