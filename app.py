"""xuefa web app: `python app.py` serves the Chinese Gradio UI on 127.0.0.1:7860 (XUEFA_HOST, XUEFA_PORT)."""

import sys

from assistant.config import Settings, offline_environment


def main() -> None:
    offline_environment()
    from assistant.web.server import serve
    from knowledge.errors import XuefaError

    try:
        serve(Settings())  # settings -> bind check -> services -> Gradio app -> launch
    except XuefaError as exc:
        sys.exit(f"启动失败：{exc}")


if __name__ == "__main__":
    main()
