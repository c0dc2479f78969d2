"""Errors that carry a message meant for a person, not a traceback.

Every error the CLI or a page may show derives from :class:`GridmapError`; its
``str()`` is one clear line that says what is wrong and, where possible, what to do.
"""


class GridmapError(Exception):
    """Base class for errors whose message is shown to the user as it is."""


class ConfigError(GridmapError):
    """The configuration (environment variables) is unusable."""


class StoreError(GridmapError):
    """The store cannot be opened, read or written."""


class ImportFileError(GridmapError):
    """A file cannot be imported at all (as opposed to single rejected rows)."""


class ExportError(GridmapError):
    """A layer cannot be exported to the requested file."""
