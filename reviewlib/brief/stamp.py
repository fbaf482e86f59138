"""The stamp every circulated page carries: review title, status line (review.yml `status`),
the date of its latest input (never the wall clock, so a rebuild is byte-identical), version,
a link back to the index — and, in print, the same in the page margins with page numbers.

The brief template and the index page both render a `Stamp`; its print furniture is a small
`@page` rule written per page, because CSS cannot read the page's text into a margin box.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from reviewlib import __version__
from reviewlib.gather.milestones import long_date

_CSS_UNSAFE = re.compile(r'["\\<>\n\r\f]')


def css_string(text: str) -> str:
    """A CSS string literal for `text`: quotes, backslashes, angle brackets and line breaks
    escaped, so review.yml's text can neither end the string nor the <style> element."""
    return '"' + _CSS_UNSAFE.sub(lambda m: f"\\{ord(m.group()):x} ", str(text)) + '"'


def dated(latest_input: str) -> str:
    """'Dated 14 August 2017' from the date of the latest input (YYYY-MM-DD); '' when unknown."""
    try:
        day = dt.date.fromisoformat(str(latest_input)[:10])
    except ValueError:
        return ""
    return f"Dated {long_date(day)}"


@dataclass(frozen=True)
class Stamp:
    review_title: str
    status: str
    latest_input: str
    digest: str = ""
    version: str = __version__
    index_href: str = "../index.html"

    @property
    def date_line(self) -> str:
        return dated(self.latest_input)

    @property
    def version_line(self) -> str:
        return f"Version {self.version}" + (f", inputs {self.digest[:12]}" if self.digest else "")

    @property
    def parts(self) -> list[str]:
        """The stamp's lines, in reading order (empty ones left out)."""
        return [p for p in (self.status, self.date_line, self.version_line) if p]

    def page_css(self) -> str:
        """Print furniture: title and status at the head of every page, date, version and
        'Page n of m' at its foot."""
        foot = " · ".join(p for p in (self.date_line, self.version_line) if p)
        return (
            "@page { "
            f"@top-left {{ content: {css_string(self.review_title)}; }} "
            f"@top-right {{ content: {css_string(self.status)}; }} "
            f"@bottom-left {{ content: {css_string(foot)}; }} "
            '@bottom-right { content: "Page " counter(page) " of " counter(pages); } }'
        )

    def as_dict(self) -> dict:
        """What the templates read (the brief's metadata bundle carries it as JSON)."""
        return {
            "review_title": self.review_title,
            "status": self.status,
            "latest_input": self.latest_input,
            "digest": self.digest,
            "version": self.version,
            "index_href": self.index_href,
            "parts": self.parts,
            "page_css": self.page_css(),
        }
