"""The `xuefa` command line. Each job's commands live in assistant/commands/<job>.py."""

from __future__ import annotations

import importlib
import sys

import click

from .config import offline_environment

# Modules under assistant.commands that each define `commands: list[click.Command]`.
COMMAND_MODULES = ("kb", "ask", "exam", "brief", "web", "org")


@click.group(help="xuefa 学法助手：法律法规检索、问答、考试与会前学法。")
@click.version_option(package_name="xuefa")
def cli() -> None:
    offline_environment()
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("pypdf", "chromadb", "httpx", "jieba", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"assistant.commands.{name}")
        except ModuleNotFoundError as exc:  # a job not built yet must not break the others
            if exc.name != f"assistant.commands.{name}":
                raise
            continue
        for command in module.commands:
            cli.add_command(command)


_register()


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
