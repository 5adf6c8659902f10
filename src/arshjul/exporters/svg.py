"""SVG building blocks shared by the wheel, the heat map and the report.

The pictures are hand-built SVG: their bytes depend only on the plan (fixed precision, no
timestamps, no random ids) and every attribute value goes through ``xml.sax.saxutils``, so
a title such as ``<script>`` is always text, never markup.  This module holds what the
pictures have in common: one element writer, fixed-precision numbers, a text measure (from
the font's advance widths) with word-wise cutting and wrapping for what fits, the palette
and its patterns, and the font stack.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

FONT_STACK = "Segoe UI, DejaVu Sans, Arial, sans-serif"
INK = "#1a1a1a"

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
"""The Okabe–Ito colours (orange, sky blue, bluish green, blue, vermillion, reddish purple,
yellow; their black is the ink), chosen by Okabe and Ito to stay apart for the common
colour-vision deficiencies; yellow last because it is the weakest on white.  Seven colours
are as many as stay distinct, so pictures with more categories add a pattern
(:data:`PATTERNS`) rather than more colours, and colour is never the only cue: rings have
names, kinds have marker shapes."""

PATTERNS = ("solid", "dots", "rings", "crosses")
"""Fills that tell apart categories sharing a colour: a plain tint, then dots, small rings
and small crosses in the colour over the tint.  All of them look the same at any angle, so
they read the same all round a circle, and none looks like the diagonal hatching of a
blackout."""


def style_of(index: int) -> tuple[str, str]:
    """(colour, pattern) of the ``index``-th category: the seven colours with a plain tint,
    then again with dots, rings, crosses: 28 categories before a pair repeats."""
    n = len(OKABE_ITO)
    return OKABE_ITO[index % n], PATTERNS[(index // n) % len(PATTERNS)]


# Advance widths in em of DejaVu Sans (the widest font of FONT_STACK: Segoe UI and Arial
# set the same text narrower), measured in Chromium and rounded up to 0.02 em.
_ADVANCE_BOOK = {
    0.28: "ijlìíîï'",
    0.30: "IJÌÍÎÏ",
    0.32: " \u00a0.,·’‘",
    0.34: ":;/\\|",
    0.36: "f",
    0.38: "-",
    0.40: "t()[]",
    0.42: "r!",
    0.46: '"',
    0.50: "–_*§`",
    0.52: "”“",
    0.54: "sz?",
    0.56: "cçL",
    0.58: "kF",
    0.60: "vxyýÿ",
    0.62: "aeoåäöéàáâãèêëòóôõøPTYÝ",
    0.64: "0123456789bdghnpquüñùúûßESÉÈÊË{}$",
    0.66: "K",
    0.70: "ABCRVXZÅÄÀÁÂÃÇ",
    0.74: "UÜÙÚÛ",
    0.76: "HNÑ",
    0.78: "DG&▲",
    0.80: "OQÖÒÓÔÕØ",
    0.82: "w",
    0.84: "+=<>#^~",
    0.88: "M",
    0.96: "%",
    0.98: "mÆ",
    1.00: "æW—@…",
    1.04: "œ",
    1.08: "Œ",
}
_ADVANCE_BOLD = {
    0.32: "'",
    0.36: "ijlìíîï \u00a0",
    0.38: "IJÌÍÎÏ.,/\\·’‘|",
    0.40: ":;",
    0.42: "-",
    0.44: "f",
    0.46: "!()[]",
    0.48: "t",
    0.50: "r–_§`",
    0.54: '"*',
    0.60: "cszç?",
    0.64: "L",
    0.66: "vxyýÿ”“",
    0.68: "aekåäéàáâãèêë",
    0.70: "0123456789oöòóôõøEFTÉÈÊË$",
    0.72: "bdghnpquüñùúûß{}",
    0.74: "CPSYZÝÇ",
    0.78: "ABKRVXÅÄÀÁÂÃ▲",
    0.82: "UÜÙÚÛ",
    0.84: "DGHNÑ+=<>#^~",
    0.86: "OQÖÒÓÔÕØ",
    0.88: "&",
    0.94: "w",
    1.00: "M—@…",
    1.02: "%",
    1.06: "mæ",
    1.10: "œÆ",
    1.12: "W",
    1.18: "Œ",
}
ADVANCE_EM: dict[bool, dict[str, float]] = {
    bold: {ch: em for em, chars in table.items() for ch in chars}
    for bold, table in ((False, _ADVANCE_BOOK), (True, _ADVANCE_BOLD))
}
"""Character → advance width in em, by weight (``True`` = bold, which 600 renders as)."""
UNKNOWN_EM = 1.0
"""Width of a character not in the table: as wide as the widest, so an estimate errs long."""


def fmt_num(x: float, digits: int = 1) -> str:
    """A coordinate with fixed precision, so equal plans give equal bytes (and no ``-0.0``)."""
    s = f"{x:.{digits}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces: labels and table cells hold one line."""
    return " ".join(text.split())


def shorten(text: str, chars: int) -> str:
    """Cut to ``chars`` characters, marking the cut with an ellipsis."""
    if len(text) <= chars:
        return text
    if chars <= 1:
        return ""
    return text[: chars - 1].rstrip() + "…"


def el(tag: str, content: str | None = None, /, **attrs: object) -> str:
    """One SVG element.  Attribute names use ``_`` for ``-`` (``class_`` for ``class``);
    floats get fixed precision and every value is quoted, so callers never hand-escape
    attributes.  ``content`` is markup: escape text before passing it."""
    out = [f"<{tag}"]
    for key, value in attrs.items():
        if value is None:
            continue
        text = fmt_num(value) if isinstance(value, float) else str(value)
        out.append(f" {key.rstrip('_').replace('_', '-')}={quoteattr(text)}")
    return "".join(out) + ("/>" if content is None else f">{content}</{tag}>")


def text_px(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` set at font size ``size`` (px), from :data:`ADVANCE_EM`: what the
    pictures use to decide what fits.  It errs long, never short, for the fonts of
    :data:`FONT_STACK` (no kerning is subtracted)."""
    widths = ADVANCE_EM[bold]
    return sum(widths.get(ch, UNKNOWN_EM) for ch in text) * size


def shorten_px(text: str, size: float, room: float, *, bold: bool = False) -> str:
    """``text`` if it fits in ``room`` px, else its longest run of whole words that fits
    with an ellipsis, else ``""``: a label is never cut inside a word."""
    text = one_line(text)
    if text_px(text, size, bold=bold) <= room:
        return text
    words = text.split(" ")
    for n in range(len(words) - 1, 0, -1):
        cut = " ".join(words[:n]).rstrip(",;:–—-·") + "…"
        if text_px(cut, size, bold=bold) <= room:
            return cut
    return ""


def wrap_px(text: str, size: float, rooms: list[float], *, bold: bool = False) -> list[str] | None:
    """Greedy word wrap of ``text`` into lines whose widths fit ``rooms`` (px, one per line,
    in order); ``None`` when the words do not all fit in that many lines.  A no-break space
    (U+00A0) keeps two words on one line."""
    words = [w for w in text.replace("\n", " ").split(" ") if w]
    lines: list[str] = []
    for room in rooms:
        if not words:
            break
        line = words.pop(0)
        if text_px(line, size, bold=bold) > room:
            return None
        while words and text_px(f"{line} {words[0]}", size, bold=bold) <= room:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    return None if words else lines


def strip_xml_declaration(svg: str) -> str:
    """The SVG element alone, for inlining into HTML."""
    return svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg


__all__ = [
    "ADVANCE_EM",
    "FONT_STACK",
    "INK",
    "OKABE_ITO",
    "PATTERNS",
    "UNKNOWN_EM",
    "el",
    "fmt_num",
    "one_line",
    "shorten",
    "shorten_px",
    "strip_xml_declaration",
    "style_of",
    "text_px",
    "wrap_px",
]
