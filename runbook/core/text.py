"""Text from outside (a file's cell, a page's label, a QR payload), made safe to print and short enough to quote.

A terminal obeys escape sequences and a bidi override reorders what follows it: what a file or a page says is
escaped where it reaches the terminal, a summary or a report, and a message quotes at most QUOTE_CHARS of it
(a 300 kB cell must not become a 300 kB error line).
"""

from __future__ import annotations

import unicodedata

QUOTE_CHARS = 80
_UNPRINTABLE = ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")  # controls, bidi and other formatting, unassigned


def unprintable(char: str) -> bool:
    return unicodedata.category(char) in _UNPRINTABLE


def printable(text: str) -> str:
    """The text with control and formatting characters escaped (ESC, NUL, newlines, bidi overrides), and
    backslashes doubled so that an escape cannot be forged: safe to print on a terminal, on one line."""
    out = []
    for char in text:
        point = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif not unprintable(char):
            out.append(char)
        elif point < 0x100:
            out.append(f"\\x{point:02x}")
        elif point < 0x10000:
            out.append(f"\\u{point:04x}")
        else:
            out.append(f"\\U{point:08x}")
    return "".join(out)


def clipped(text: str, limit: int = QUOTE_CHARS) -> str:
    """Cut to `limit` characters (the cut marked with …, the full length said). Messages hold text clipped, and
    are made printable where they are printed (RunbookError.line, the summary): escaped once, not twice."""
    return f"{text[:limit]}… ({len(text)} characters)" if len(text) > limit else text


def quoted(text: str, limit: int = QUOTE_CHARS) -> str:
    """What a message quotes of a refused input: in quotes, at most `limit` characters of it."""
    return f"'{clipped(text, limit)}'"
