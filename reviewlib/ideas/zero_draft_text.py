"""The plain-text twin of the elements for the zero draft (Markdown), so that what changed between
two builds can be read in a diff: the same paragraphs, numbers and comments as the Word file,
one paragraph per line, each comment line quoted under its paragraph."""

from __future__ import annotations

from pathlib import Path

from reviewlib.files import atomic_write_text
from reviewlib.ideas.zero_draft import SUBTITLE, ZeroDraft

__all__ = ["to_text", "write_text"]


def _line(text: object) -> str:
    """One line of text: spaces tidied, nothing Markdown would read as markup at its start."""
    line = " ".join(str(text).split())
    return "\\" + line if line[:1] in "#>|-+*=" or line[:2].rstrip(".").isdigit() else line


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def to_text(draft: ZeroDraft) -> str:
    """The draft as Markdown."""
    out = [f"# {_line(draft.title)}", "", f"**{SUBTITLE}**", ""]
    out += [_line(f"{draft.received}. Version {draft.version}."), ""]
    for banner in (draft.illustrative_note, draft.milestone_note):
        if banner:
            out += [f"> **{_line(banner)}**", ""]
    for note in draft.introduction:
        out += [f"_{_line(note)}_", ""]
    for section in draft.sections:
        out += [f"{'#' * (section.level + 1)} {_line(section.heading)}", ""]
        for note in section.notes:
            out += [f"_{_line(note)}_", ""]
        for paragraph in section.paragraphs:
            out += [f"**{paragraph.number}.** {_line(paragraph.text)}", ""]
            out += [f"> {_line(line)}" for line in paragraph.comment] + [""]
    frame = draft.acknowledgements
    out += ["## Annex — Contributions received", "", f"_{_line(draft.acknowledgement_note)}_", ""]
    out += ["| " + " | ".join(c[:1].upper() + c[1:] for c in frame.columns) + " |"]
    out += ["|" + "---|" * len(frame.columns)]
    out += [
        "| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join(out) + "\n"


def write_text(draft: ZeroDraft, path: Path) -> Path:
    """Write the twin to ``path`` (.md) and return the path."""
    atomic_write_text(Path(path), to_text(draft))
    return Path(path)
