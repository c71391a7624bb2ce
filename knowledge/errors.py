"""One error hierarchy; messages are Chinese and say how to fix the problem.

The CLI and the web UI translate these at the edges (click / gr.Error)."""


class XuefaError(Exception):
    """Base of every error xuefa reports to a user."""


class IngestError(XuefaError):
    """A file could not be ingested; the message names the file and the reason."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}：{reason}")


class NotFoundError(XuefaError):
    """A law, article or document is not in the knowledge base."""


class IndexMismatchError(XuefaError):
    """The index on disk was built with another embedding model."""


class ConfigError(XuefaError):
    """A setting is missing or wrong."""
