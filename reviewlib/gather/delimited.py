"""Text files as people send them: the encoding decided per file, the CSV dialect read, not guessed.

A file is read as UTF-8 when it is UTF-8 (with or without BOM; UTF-16 and UTF-32 when their BOM
says so, as Excel's "Unicode Text" does). A UTF-8 file with a few invalid bytes stays UTF-8, each
bad byte shown as '�' and named; any other file's encoding is decided by charset-normalizer, and
the ledger says which was used. A text that reads like mojibake (Cyrillic taken as Windows-1252,
UTF-8 taken twice) is flagged on its row. Excel's `sep=;` first line sets the delimiter; a quote
that opens and never closes is read as a character on its own row, not as the rest of the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# At most this share of a UTF-8 file's non-ASCII characters may be invalid bytes for it to stay
# UTF-8 (each shown as '�'); more, and the file is in another encoding.
_STRAY_BYTES = 0.02
# UTF-8 read as a Windows code page: a lead byte's letter followed by a continuation byte's.
_DOUBLE_UTF8 = re.compile(
    "[ÂÃÐÑØÙ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a\u20ac\u2122]"
)
# Cyrillic or Greek read as Windows-1252: long runs of accented Latin letters no language has.
_ACCENT_RUN = re.compile("[\u00c0-\u00ff]{5,}")
# Three or more non-ASCII characters in a row: no Latin-script language written in
# Windows-1252 has them; Cyrillic, Chinese or Arabic bytes read in it do.
_NON_LATIN_RUN = re.compile("[^\x00-\x7f\xa0]{3,}")
_SEP_LINE = re.compile(r"\s*sep=(.)\s*$", re.IGNORECASE)
REPLACEMENT = "\ufffd"


@dataclass
class Decoded:
    """A file's text, the encoding it was read in and what the ledger must say about it."""

    text: str
    encoding: str
    warning: str = ""


def decode_bytes(data: bytes) -> Decoded:
    """The text of a file's bytes, in the encoding decided as the module docstring says."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                break
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count(REPLACEMENT)
    wide = sum(1 for c in text if ord(c) > 127)
    if bad <= max(1, _STRAY_BYTES * wide) and wide > bad:
        return Decoded(
            text,
            "utf-8",
            f"the file is UTF-8 but {bad} byte(s) in it are not; each is shown as '{REPLACEMENT}' "
            "on its row — ask the contributor for the file saved again as UTF-8",
        )
    return _detected(data)


def _detected(data: bytes) -> Decoded:
    """Windows-1252 when the bytes read plausibly so (the legacy encoding of the Latin-script
    UN languages, too short a sample for any detector to tell apart), else charset-normalizer's."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and not _NON_LATIN_RUN.search(text) and not looks_garbled(text):
        encoding, how = "cp1252", "Windows-1252, as its accented letters read"
    else:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data).best()
        encoding = best.encoding if best is not None else "cp1252"
        how = "as charset-normalizer detected" if best is not None else "for want of a better"
        text = data.decode(encoding, errors="replace")
    return Decoded(
        text,
        encoding,
        f"the file is not UTF-8; it was read as {encoding} ({how}) — check that its text reads "
        "right, or ask the contributor for the file saved as UTF-8",
    )


def decode(data: bytes) -> str:
    """The text of a file's bytes (see `decode_bytes`), for files whose notes nobody reads."""
    return decode_bytes(data).text


def looks_garbled(text: str) -> bool:
    """Does a text read like mojibake: another script's bytes read in the wrong code page?"""
    return bool(_DOUBLE_UTF8.search(text) or _ACCENT_RUN.search(text))


def sniff_delimiter(
    text: str, is_header: Callable[[str], bool] | None = None, scan: int = 50
) -> str:
    """The delimiter of CSV text: of ',', ';' and tab, the one used most on its header line — the
    first line with text, or the first of `scan` lines that `is_header` accepts; ',' on a tie."""
    for line in islice(io.StringIO(text), scan):
        if line.strip() and (is_header is None or is_header(line)):
            counts = {d: line.count(d) for d in (",", ";", "\t")}
            return max(counts, key=lambda d: (counts[d], d == ","))
    return ","


def dialect(text: str) -> tuple[str, str]:
    """(delimiter, the text from its header on): Excel's `sep=X` first line names the
    delimiter and is not a row; otherwise the delimiter is sniffed."""
    first, _, rest = text.partition("\n")
    if (found := _SEP_LINE.fullmatch(first.rstrip("\r"))) and found.group(1) in ",;\t|":
        return found.group(1), rest
    return sniff_delimiter(text), text


UNCLOSED = (
    'a quote (") opens a text that never closes, so the rest of the file would have been read '
    "as this one text; the quote was read as a character — check this row"
)


def records(text: str, delimiter: str) -> list[tuple[list[str], str]]:
    """The CSV records of a text, each with a note; a record whose quote never closes (it would
    swallow the rest of the file) is read again with its quote taken as a character."""
    lines = io.StringIO(text, newline="").readlines()
    out: list[tuple[list[str], str]] = []
    start = 0
    while start < len(lines):
        read, starts = _parse(lines[start:], delimiter)
        if not read or not _unclosed(lines[start + starts[-1] :], delimiter):
            out.extend((r, "") for r in read)
            break
        out.extend((r, "") for r in read[:-1])
        bad = start + starts[-1]
        plain = next(csv.reader([lines[bad]], delimiter=delimiter, quoting=csv.QUOTE_NONE))
        out.append((plain, UNCLOSED))
        start = bad + 1
    return out


def _parse(lines: list[str], delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The records of `lines` and the line (from 0) each starts on."""
    reader = csv.reader(iter(lines), delimiter=delimiter)
    read, starts, before = [], [], 0
    for record in reader:
        read.append(record)
        starts.append(before)
        before = reader.line_num
    return read, starts


def _unclosed(lines: list[str], delimiter: str) -> bool:
    try:
        for _ in csv.reader(iter(lines), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def shown(text: str, limit: int = 300) -> str:
    """A text quoted in a ledger sentence, cut at `limit` characters."""
    return "'" + (text if len(text) <= limit else text[:limit] + "…") + "'"


def rejoined(
    record: list[str], width: int, text_at: int | None, delimiter: str
) -> tuple[list[str], str]:
    """A row with more fields than the header, and the warning that shows it as written. When
    the fields past the header hold text, or the field after the text starts with a space (prose
    cut at a comma), the text held the delimiter without quotes: it takes the pieces back."""
    extra = len(record) - width
    if extra <= 0:
        return record, ""
    as_written = shown(delimiter.join(record))
    split = text_at is not None and (
        any(c.strip() for c in record[width:]) or record[text_at + 1][:1].isspace()
    )
    if not split:
        return record, (
            f"the row has {len(record)} fields where the header has {width}; the row as "
            f"written: {as_written} — check that each value is under its column"
        )
    whole = [*record[:text_at], delimiter.join(record[text_at : text_at + extra + 1])]
    whole += record[text_at + extra + 1 :]
    return whole, (
        f"the row has {len(record)} fields where the header has {width}: its text held "
        f"{extra} '{delimiter}' not inside quotes, so the text was read as "
        f"{shown(whole[text_at])} — check it (the row as written: {as_written}), and put "
        "quotes around a text that holds the delimiter"
    )


def row_bytes_note(record: list[str]) -> str:
    if not any(REPLACEMENT in c for c in record):
        return ""
    return f"a byte of this row is not valid in the file's encoding and is shown as '{REPLACEMENT}'"
