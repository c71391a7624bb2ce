"""What every tab builder shares: the app parts, error wrapping, concurrency limits, the countdown script."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

import gradio as gr

from .. import handlers as h
from ..context import WebContext

# Concurrency: retrieval/answers are CPU-bound on a small server, so a few at a time; knowledge-base writes
# one at a time; quick reads many at a time. Every event has its own queue group, so a long upload or exam
# never holds up chat.
CHAT_LIMIT = 4
HEAVY_LIMIT = 2
READ_LIMIT = 8


@dataclass
class App:
    """Handed to each tab builder."""

    ctx: WebContext
    demo: Any  # gr.Blocks

    def who(self, request: gr.Request | None):
        return self.ctx.user(getattr(request, "username", None) if request is not None else None)

    @property
    def local_mode(self) -> bool:
        return bool(self.ctx.local_mode)


def error(exc: BaseException) -> gr.Error:
    """A toast for an exception: its message is HTML to Gradio, so it is escaped (it may name a file or a
    title). Gradio 6 shows the type ("Error") as the title whatever `title` says; templates/head.html puts
    Chinese there."""
    internal = not isinstance(exc, (h.XuefaError, ValueError))
    return gr.Error(h.esc(h.user_message(exc)), title="出错了" if internal else "提示", print_exception=False)


def wrap(fn: Callable) -> Callable:
    """Turn xuefa errors into gr.Error with a plain-Chinese message."""

    @functools.wraps(fn)
    def inner(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as exc:  # noqa: BLE001 - shown to the user as a message, logged when internal
            raise error(exc) from exc

    return inner


def wrap_gen(fn: Callable) -> Callable:

    @functools.wraps(fn)
    def inner(*args, **kwargs):
        try:
            yield from fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as exc:  # noqa: BLE001
            raise error(exc) from exc

    return inner


def countdown_js(box_id: str, submit_id: str) -> str:
    """Counts down the seconds in #box_id [data-seconds] and clicks #submit_id at zero (the server keeps
    the real deadline; this is only the display and the auto-submit)."""
    return """
() => {
  const key = '__xfTimer_%(box)s';
  if (window[key]) { clearInterval(window[key]); window[key] = null; }
  const start = Date.now();
  const tick = () => {
    const el = document.querySelector('#%(box)s [data-seconds]');
    if (!el) return;
    const total = parseInt(el.dataset.seconds || '0', 10);
    const left = Math.max(0, total - Math.floor((Date.now() - start) / 1000));
    const m = Math.floor(left / 60), s = left %% 60;
    el.textContent = '剩余时间 ' + m + ' 分 ' + String(s).padStart(2, '0') + ' 秒';
    if (left <= 0) {
      clearInterval(window[key]); window[key] = null;
      el.textContent = '时间到，已自动交卷';
      const btn = document.querySelector('#%(submit)s');
      if (btn) btn.click();
    }
  };
  setTimeout(tick, 300);
  window[key] = setInterval(tick, 1000);
  window['__xfStop_%(box)s'] = () => { if (window[key]) { clearInterval(window[key]); window[key] = null; } };
}
""" % {"box": box_id, "submit": submit_id}


def stop_js(box_id: str) -> str:
    return "(...args) => { const f = window['__xfStop_%s']; if (f) f(); return args; }" % box_id
