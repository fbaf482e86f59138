"""The blocks of a document, and the plain formats read into them: text, Markdown, HTML.

A block is one paragraph as the document has it — a heading, a paragraph, a list item, a table
cell's text, a page header or footer — in reading order. `reviewlib.gather.documents` reads the
other formats (Word, ODT, PDF) into the same blocks and chooses the reader of a file.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass, field
from pathlib import Path

from reviewlib.gather.delimited import decode
from reviewlib.gather.limits import IntakeLimits
from reviewlib.gather.readers import UnreadableFile

__all__ = ["Block", "Document", "STYLES", "clean", "join_lines", "ITEM", "read_text", "read_html"]

STYLES = ("heading", "paragraph", "item", "cell", "header", "footer")


@dataclass(frozen=True)
class Block:
    """One paragraph of a document: its text, what the document made of it, the page (PDF)."""

    text: str
    style: str = "paragraph"
    page: int = 0


@dataclass(frozen=True)
class Document:
    """The blocks of a document in reading order and what its own properties say."""

    blocks: tuple[Block, ...]
    properties: dict[str, str] = field(default_factory=dict)


_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")


def clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\r", "")).strip()


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one text, words hyphenated at a line's end joined again."""
    out = lines[0]
    for line in lines[1:]:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        else:
            out += " " + line
    return out


ITEM = re.compile(r"^(?:[-*•–·▪]\s+|\(?\d{1,3}[.)]\s+|\(?[a-z][.)]\s+)")
_MD_HEADING = re.compile(r"^#{1,6}\s+")


def _text_blocks(text: str, markdown: bool) -> list[Block]:
    """Paragraphs of plain text or Markdown: blank lines part them; headings ('#', or a line
    underlined with '=' or '-') and list items stand alone."""
    blocks: list[Block] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append(Block(join_lines(lines), "paragraph"))
            lines.clear()

    for raw in text.splitlines():
        line = clean(raw)
        if markdown and _MD_HEADING.match(line):
            flush()
            blocks.append(Block(_MD_HEADING.sub("", line).strip("# "), "heading"))
        elif line and set(line) <= set("=-") and len(line) >= 3 and lines:
            heading = lines.pop()
            flush()
            blocks.append(Block(heading, "heading"))
        elif not line:
            flush()
        elif ITEM.match(line):
            flush()
            blocks.append(Block(ITEM.sub("", line, count=1), "item"))
        elif blocks and blocks[-1].style == "item" and not lines and raw[:1].isspace():
            blocks[-1] = Block(blocks[-1].text + " " + line, "item")
        else:
            lines.append(line)
    flush()
    return [b for b in blocks if b.text]


def read_text(path: Path, limits: IntakeLimits) -> Document:
    text = decode(path.read_bytes())
    if not text.strip():
        raise UnreadableFile("the file is empty")
    blocks = _text_blocks(text, markdown=path.suffix.lower() == ".md")
    return Document(tuple(blocks))


class _HtmlBlocks(html.parser.HTMLParser):
    """Block-level elements of an HTML page as blocks; scripts, styles and the head left out."""

    BLOCKS = {"p": "paragraph", "li": "item", "td": "cell", "th": "cell", "div": "paragraph"}
    BLOCKS |= {f"h{i}": "heading" for i in range(1, 7)}
    BLOCKS |= {"header": "header", "footer": "footer", "blockquote": "paragraph"}
    SILENT = {"script", "style", "head", "title", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.styles: list[str] = ["paragraph"]
        self.silent = 0
        self.title = ""

    def _flush(self) -> None:
        if text := clean("".join(self.parts)):
            self.blocks.append(Block(text, self.styles[-1]))
        self.parts = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.SILENT:
            self.silent += 1
        elif tag == "br":
            self.parts.append(" ")
        elif tag in self.BLOCKS:
            self._flush()
            outer = self.styles[-1]
            inherited = outer if outer in ("header", "footer") else self.BLOCKS[tag]
            self.styles.append(inherited)

    def handle_endtag(self, tag) -> None:
        if tag in self.SILENT:
            self.silent = max(self.silent - 1, 0)
        elif tag in self.BLOCKS and len(self.styles) > 1:
            self._flush()
            self.styles.pop()

    def handle_data(self, data) -> None:
        if not self.silent:
            self.parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def read_html(path: Path, limits: IntakeLimits) -> Document:
    text = decode(path.read_bytes())
    if not text.strip():
        raise UnreadableFile("the file is empty")
    parser = _HtmlBlocks()
    parser.feed(text)
    parser.close()
    return Document(tuple(parser.blocks))
