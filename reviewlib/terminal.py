"""Text made safe to print on a terminal: contributor text never drives it.

A contributor's cell may hold escape sequences (clear the screen, set the window title, add a
link), a carriage return that overwrites what was printed, or a right-to-left override that shows
text in another order. Everything the command line prints goes through `printable`, which shows
such characters escaped (`\\x1b`, `\\r`, `\\u202e`) and leaves every other character, in any
script, as it is. Line breaks the program itself prints are kept.
"""

from __future__ import annotations

import re

# C0 controls but the line break, DEL, C1 controls, and the bidirectional embeddings,
# overrides and isolates, which reorder the text shown around them.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(found: re.Match) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """`text` with every character that could drive a terminal shown escaped."""
    return _UNSAFE.sub(_escaped, str(text))
