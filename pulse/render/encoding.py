"""Output that fits the stream it goes to: what an ASCII or Latin-1 stream cannot hold, degraded (pure).

A product is written as it is wherever the stream's encoding holds it (UTF-8 always
does). Where it does not (`PYTHONIOENCODING=ascii`, a Latin-1 console), each character
the encoding lacks becomes the nearest thing it has, chosen by the kind of output, so
the result is still what it claims to be:

- JSON: a `\\uXXXX` escape (a surrogate pair above U+FFFF); the same data, still valid JSON.
- XML and HTML (feeds, the HTML issue): a character reference, `&#8364;`; the same text.
- text (tables, Markdown, CSV, the newsletter): the letter without its accent (`é` -> `e`),
  a currency code for its symbol (`€` -> `EUR`), ASCII for dashes, quotes, arrows, bars
  and box lines, else `?`.
"""

from __future__ import annotations

import codecs
import unicodedata

TEXT, JSON, XML = "text", "json", "xml"

_SYMBOLS = {
    "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₣": "CHF", "₽": "RUB", "₺": "TRY",
    "—": "--", "–": "-", "‐": "-", "‑": "-", "−": "-", "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"',
    "„": '"', "«": '"', "»": '"', "…": "...", "•": "*", "·": "-", "→": "->", "←": "<-", "↑": "^",
    "↓": "v", "≈": "~", "×": "x", "±": "+/-", "°": " deg", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o",
    "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th",
    "▁": "1", "▂": "2", "▃": "3", "▄": "4", "▅": "5", "▆": "6", "▇": "7", "█": "8",
}  # fmt: skip


def holds_all(encoding: str | None) -> bool:
    """True for the encodings that hold every character (UTF-8, UTF-16, UTF-32)."""
    return codecs.lookup(encoding or "utf-8").name.startswith("utf")


def fit_encoding(text: str, encoding: str | None, kind: str = TEXT) -> str:
    """`text` as a stream in `encoding` can hold it: unchanged in UTF-8, else degraded for `kind`."""
    name = codecs.lookup(encoding or "utf-8").name
    if name.startswith("utf"):
        return text
    return text.encode(name, errors=_handler(kind)).decode(name)


def _handler(kind: str) -> str:
    """The name of the codec error handler for `kind`, registered on first use."""
    name = f"pulse-fit-{kind}"
    try:
        codecs.lookup_error(name)
    except LookupError:

        def fit(exc: UnicodeError) -> tuple[str, int]:
            assert isinstance(exc, UnicodeEncodeError)
            chars = exc.object[exc.start : exc.end]
            return "".join(_fit(char, exc.encoding, kind) for char in chars), exc.end

        codecs.register_error(name, fit)
    return name


def _fit(char: str, encoding: str, kind: str) -> str:
    if kind == JSON:
        code = ord(char)
        if code > 0xFFFF:
            high, low = divmod(code - 0x10000, 0x400)
            return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
        return f"\\u{code:04x}"
    if kind == XML:
        return f"&#{ord(char)};"
    return _nearest(char, encoding)


def _nearest(char: str, encoding: str) -> str:
    """The closest text `encoding` holds: a mapped symbol, the decomposed letter, a box line, else '?'."""
    for candidate in (_SYMBOLS.get(char, ""), unicodedata.normalize("NFKD", char), _box(char)):
        kept = "".join(part for part in candidate if _holds(part, encoding) and not unicodedata.combining(part))
        if kept:
            return kept
    category = unicodedata.category(char)
    return " " if category == "Zs" else "" if category in ("Cc", "Cf") else "?"


def _box(char: str) -> str:
    name = unicodedata.name(char, "")
    if not name.startswith("BOX DRAWINGS"):
        return ""
    if "HORIZONTAL" in name and "VERTICAL" not in name:
        return "-"
    return "|" if "VERTICAL" in name and "HORIZONTAL" not in name else "+"


def _holds(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
