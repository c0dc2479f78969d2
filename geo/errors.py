"""Errors that carry a message meant for a person, not a traceback.

Every error the CLI or a page may show derives from :class:`GridmapError`; its
``str()`` is one clear line that says what is wrong and, where possible, what to do.
An error is made from a translation key and its values, so it can be shown in
either language: ``str(error)`` speaks the message language
(:func:`geo.i18n.message_language`), ``error.message(lang)`` the one asked for.
"""

from __future__ import annotations


class GridmapError(Exception):
    """Base class for errors whose message is shown to the user as it is.

    Parameters
    ----------
    key
        A key of the translation tables (:mod:`geo.texts`), or, for text that has
        no key, the text itself.
    values
        The key's placeholders.
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str | None = None, place: str | None = None) -> str:
        """The message in ``lang`` (default: the message language), for ``place``.

        ``place`` is where it is shown, :data:`geo.i18n.PAGE` on a page: a message
        that says what to do then names the page's controls, not the command line's.
        """
        from geo.i18n import TEXTS, message_language, placed, t

        if self.key not in TEXTS:
            return self.key
        values = {
            k: v.message(lang, place) if isinstance(v, GridmapError) else v
            for k, v in self.values.items()
        }
        return t(placed(self.key, place), lang or message_language(), **values)

    def __str__(self) -> str:
        return self.message()


class ConfigError(GridmapError):
    """The configuration (environment variables) is unusable."""


class StoreError(GridmapError):
    """The store cannot be opened, read or written."""


class ImportFileError(GridmapError):
    """A file cannot be imported at all (as opposed to single rejected rows)."""


class ExportError(GridmapError):
    """A layer cannot be exported to the requested file."""
