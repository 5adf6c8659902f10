"""SVG building blocks shared by the wheel, the heat map and the report.

The pictures are hand-built SVG: their bytes depend only on the plan (fixed precision, no
timestamps, no random ids) and every attribute value goes through ``xml.sax.saxutils``, so
a title such as ``<script>`` is always text, never markup.  This module holds what the
pictures have in common: one element writer, fixed-precision numbers, a rough text measure
and cut for what fits, the palette and the font stack.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

FONT_STACK = "Segoe UI, DejaVu Sans, Arial, sans-serif"
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
"""Okabe–Ito colours, safe for the common colour-vision deficiencies; yellow last because
it is the weakest on white.  Colour is never the only cue: rings have names, kinds have
marker shapes."""
INK = "#1a1a1a"
CHAR_EM = 0.6
"""Rough advance width of one character in em for the font stack: used to decide what fits."""


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


def text_px(text: str, size: float) -> float:
    """Rough width of ``text`` at font size ``size`` (see :data:`CHAR_EM`)."""
    return len(text) * size * CHAR_EM


def strip_xml_declaration(svg: str) -> str:
    """The SVG element alone, for inlining into HTML."""
    return svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg


__all__ = [
    "CHAR_EM",
    "FONT_STACK",
    "INK",
    "OKABE_ITO",
    "el",
    "fmt_num",
    "one_line",
    "shorten",
    "strip_xml_declaration",
    "text_px",
]
