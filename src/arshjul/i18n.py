"""What arshjul says, in Swedish or English: gettext message catalogues and Babel dates.

Two audiences, two choices of language:

- **what the regions and planners receive** (calendar titles, descriptions, categories; the
  report, the wheel, the heat map and plan.xlsx) is in the scenario's ``language`` (default
  ``sv``: the regions are Swedish), with the agency's own ``labels`` for its meeting kinds.
  The exporters take a :class:`Catalogue` for a plan (:func:`catalogue`), never the
  process's locale; a word that means two things in Swedish has a context
  (:meth:`Catalogue.pgettext`: a kind in full or in short, a month's abbreviation);
- **the command line** speaks to the planner at the terminal: ``--lang``, else the locale
  (``LC_ALL``, ``LC_MESSAGES``, ``LANG`` starting with ``sv``), else English, which the
  planners' scripts expect.  :func:`set_cli_language` picks it, :func:`_` and
  :func:`ngettext` translate with it.

The messages in the code are English (the msgids).  The catalogues are
``arshjul/locale/<lang>/LC_MESSAGES/arshjul.po``, with their compiled ``.mo`` beside them,
committed: gettext reads the ``.mo`` directly, so nothing is compiled at import time (the
quick commands' start-up stays as it is) and nothing needs to be written into a read-only
installation.  ``tests/exporters/test_i18n.py`` fails when a ``.mo`` no longer matches its ``.po`` or
when a message in the code is missing from a catalogue.  After changing a message::

    pybabel extract -F babel.cfg -c TRANSLATORS: --sort-output --add-location=file \\
        --project arshjul -o src/arshjul/locale/arshjul.pot .
    pybabel update -i src/arshjul/locale/arshjul.pot -d src/arshjul/locale -D arshjul \\
        --no-fuzzy-matching --ignore-obsolete
    # translate the new entries in sv/LC_MESSAGES/arshjul.po, then
    pybabel compile -d src/arshjul/locale -D arshjul

Dates are Babel's (CLDR): ``3 maj 2027`` and ``måndag 3 maj 2027`` in Swedish,
``May 3, 2027`` and ``Monday, May 3, 2027`` in English; a Swedish document writes its dates
in full (:data:`LONG_DATES`, :meth:`Catalogue.long_date`: ``tisdag 23 februari 2027``) where an
English one keeps the short form.  Times are always 24-hour.
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
import re
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from babel.dates import format_date

DOMAIN = "arshjul"
"""The gettext domain: ``locale/<lang>/LC_MESSAGES/arshjul.mo``."""

Language = Literal["sv", "en"]
LANGUAGES: tuple[Language, ...] = ("sv", "en")
DEFAULT_LANGUAGE: Language = "sv"
"""What the regions receive unless the scenario says otherwise: they are Swedish."""
CLI_DEFAULT_LANGUAGE: Language = "en"
"""The command line's language when neither ``--lang`` nor the locale says Swedish."""


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where used."""
    return message


KIND_LABELS: dict[str, str] = {
    # TRANSLATORS: the kind of a meeting (also a calendar category); the
    # dialog's word starts its calendar title ("Snabbdialog: Hälsa").
    # A scenario's labels: replace these words with the agency's own.
    "dialog": N_("Strategic quick dialog"),
    "hybrid": N_("Hybrid information session"),
    "learning": N_("Learning meeting"),
    "network": N_("Network meeting"),
}
"""Meeting kind → its English name (the msgid of its label in the catalogues)."""

_WEEKDAY_DATE: dict[str, str] = {"sv": "EEEE d MMMM y", "en": "EEEE, MMMM d, y"}

_LONG_DATE: dict[str, dict[tuple[bool, bool], str]] = {
    # (with the year, with the weekday) → CLDR pattern
    "sv": {
        (True, True): "EEEE d MMMM y",
        (True, False): "d MMMM y",
        (False, True): "EEEE d MMMM",
        (False, False): "d MMMM",
    },
    "en": {
        (True, True): "EEEE, MMMM d, y",
        (True, False): "MMMM d, y",
        (False, True): "EEEE, MMMM d",
        (False, False): "MMMM d",
    },
}

LONG_DATES: frozenset[str] = frozenset({"sv"})
"""Languages whose documents write a date in full (``tisdag 23 februari 2027``) where the
short table form would do in another (``Tue, Feb 23, 2027``): Swedish letters and notices
spell the month and weekday out, English ones keep the short form."""


def _check(language: str) -> Language:
    for known in LANGUAGES:
        if language == known:
            return known
    raise ValueError(f"unknown language {language!r} (arshjul speaks {' and '.join(LANGUAGES)})")


@cache
def _compiled(domain: str, language: str) -> gettext.GNUTranslations:
    """The compiled catalogue ``domain`` of ``language`` (read once per process)."""
    lang = _check(language)
    mo = resources.files(__package__) / "locale" / lang / "LC_MESSAGES" / f"{domain}.mo"
    with mo.open("rb") as fp:
        return gettext.GNUTranslations(fp)


def translations(language: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``language``: what the library and the command line say."""
    return _compiled(DOMAIN, language)


def every_translation(message: str) -> frozenset[str]:
    """``message`` in every language arshjul ships: what a reader of its own files accepts."""
    return frozenset(translations(lang).gettext(message) for lang in LANGUAGES)


@dataclass(frozen=True)
class Catalogue:
    """The words of one document: a language and the agency's own labels for its meetings."""

    language: Language = DEFAULT_LANGUAGE
    labels: tuple[tuple[str, str], ...] = ()
    """(kind, label) pairs the scenario gave; other kinds use the catalogue's word."""

    def gettext(self, message: str) -> str:
        return translations(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations(self.language).ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` in its ``context`` (``msgctxt``): one English word, two translations."""
        return translations(self.language).pgettext(context, message)

    def kind(self, kind: str) -> str:
        """What this document calls a meeting kind: the agency's label, else the catalogue's."""
        own = dict(self.labels).get(kind)
        return own if own else self.gettext(KIND_LABELS[kind])

    def date(self, day: dt.date) -> str:
        """``3 maj 2027`` / ``May 3, 2027``."""
        return format_date(day, format="long", locale=self.language)

    def weekday_date(self, day: dt.date) -> str:
        """``måndag 3 maj 2027`` / ``Monday, May 3, 2027``."""
        return format_date(day, format=_WEEKDAY_DATE[self.language], locale=self.language)

    @property
    def long_dates(self) -> bool:
        """Whether this language's documents write dates in full (:data:`LONG_DATES`)."""
        return self.language in LONG_DATES

    def long_date(self, day: dt.date, *, year: bool = True, weekday: bool = True) -> str:
        """A date written out by CLDR (Babel): ``tisdag 23 februari 2027``, ``23 februari``;
        ``Tuesday, February 23, 2027``, ``February 23``."""
        return format_date(day, format=_LONG_DATE[self.language][(year, weekday)], locale=self.language)


@lru_cache(maxsize=64)
def _catalogue(language: str, labels: tuple[tuple[str, str], ...]) -> Catalogue:
    return Catalogue(_check(language), labels)


def catalogue(language: str = DEFAULT_LANGUAGE, labels: Mapping[str, str] | None = None) -> Catalogue:
    """The catalogue for a document in ``language`` with the agency's ``labels`` (kind → word)."""
    unknown = sorted(set(labels or {}) - set(KIND_LABELS))
    if unknown:
        raise ValueError(f"no meeting kind {unknown[0]!r} (kinds: {', '.join(KIND_LABELS)})")
    return _catalogue(language, tuple(sorted((labels or {}).items())))


# -- the command line --------------------------------------------------------------------------

_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""Checked in POSIX order: the first one set decides."""

_cli: Language = CLI_DEFAULT_LANGUAGE


def language_from_env(environ: Mapping[str, str] | None = None) -> Language:
    """Swedish when the locale says so (``sv_SE.UTF-8``, ``sv``…), else English."""
    env = os.environ if environ is None else environ
    for name in _LOCALE_VARIABLES:
        value = env.get(name, "")
        if value:
            return "sv" if value.lower().startswith("sv") else CLI_DEFAULT_LANGUAGE
    return CLI_DEFAULT_LANGUAGE


def set_cli_language(language: str | None = None, environ: Mapping[str, str] | None = None) -> Language:
    """The command line's language from now on: ``language`` (``--lang``), else the locale."""
    global _cli
    _cli = _check(language) if language else language_from_env(environ)
    return _cli


_speaking: ContextVar[Language | None] = ContextVar("arshjul_speaking", default=None)
"""The language of one context (a workspace request and the jobs it starts), over the
command line's: a Swedish workspace's pages show the library's sentences (a broken rule, an
explanation) in Swedish whatever language the server process was started with."""


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Every message of this module inside the block (and in threads that copy its context)
    is in ``language``."""
    token = _speaking.set(_check(language))
    try:
        yield
    finally:
        _speaking.reset(token)


def cli_language() -> Language:
    """The language messages are in now: a context's (:func:`speaking`), else the command line's."""
    return _speaking.get() or _cli


def _(message: str) -> str:
    """``message`` in the command line's language (or the current context's)."""
    return translations(cli_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the command line's language (or the context's)."""
    return translations(cli_language()).ngettext(singular, plural, n)


def plural(n: int, word: str) -> str:
    """``1 host``, ``2 hosts``: a count in the English messages that are not (yet) in the
    catalogues (the explanations, the counting checks); a translated message counts with
    :func:`ngettext`."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def cli_day(day: dt.date) -> str:
    """A date in the command line's tables: ``tis 2027-02-23`` / ``Tue 2027-02-23``."""
    return f"{format_date(day, format='EEE', locale=cli_language()).rstrip('.')} {day:%Y-%m-%d}"


__all__ = [
    "CLI_DEFAULT_LANGUAGE",
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "KIND_LABELS",
    "LANGUAGES",
    "LONG_DATES",
    "N_",
    "Catalogue",
    "Language",
    "_",
    "catalogue",
    "cli_day",
    "cli_language",
    "every_translation",
    "language_from_env",
    "ngettext",
    "plural",
    "set_cli_language",
    "speaking",
    "translations",
]


# -- the web workspace ---------------------------------------------------------------------------
# The workspace's pages have their own gettext domain, so their catalogue and the command line's
# never touch: ``locale/<lang>/LC_MESSAGES/arshjul-web.po`` (msgids marked ``W_`` in
# arshjul/web/strings.py; the commands are in babel.cfg).  A page speaks its scenario's language.

WEB_DOMAIN = "arshjul-web"
"""The workspace's gettext domain: ``locale/<lang>/LC_MESSAGES/arshjul-web.mo``."""


def web_translations(language: str) -> gettext.GNUTranslations:
    """The compiled web catalogue of ``language``: what the workspace's pages say."""
    return _compiled(WEB_DOMAIN, language)


__all__ += ["WEB_DOMAIN", "web_translations"]


def problem_patterns(msgids: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each msgid as a pattern matching exactly the English text it stands for, each
    ``{name}`` capturing what stands there: how a library's own English problem text (PyYAML's,
    Python's, the json module's) is found in the catalogue."""
    out = []
    for msgid in msgids:
        parts = []
        for literal, name, _spec, _conversion in string.Formatter().parse(msgid):
            parts.append(re.escape(literal))
            if name is not None:
                parts.append(f"(?P<{name}>.+?)")
        out.append((re.compile("".join(parts) + r"\Z", re.DOTALL), msgid))
    return tuple(out)


def their_problem(problem: str, patterns: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    """A library's problem text in the command line's language, matched by its exact English
    words (:func:`problem_patterns`); in English, or when the library words it otherwise, its
    own text."""
    for pattern, msgid in patterns:
        m = pattern.match(problem)
        if m:
            return _(msgid).format(**m.groupdict())
    return problem
