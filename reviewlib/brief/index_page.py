"""outputs/index.html: every brief grouped by kind, with its status and key message, and the tables."""

from __future__ import annotations

from pathlib import Path

import jinja2

from reviewlib import __version__, paths
from reviewlib.brief.slices import Slice, latest_input
from reviewlib.brief.stamp import Stamp
from reviewlib.files import atomic_write_text
from reviewlib.gather.review import Review

KIND_TITLES = {
    "summary": "For the meeting",
    "panel": "Panels of the meeting",
    "overview": "Overview",
    "ideas": "Pool of ideas",
    "pillar": "Pillars",
    "theme": "Themes",
    "region": "Regional groups",
    "country": "Member States",
    "methods": "Methods",
}
# Papers of the whole review written beside the briefs (not in the manifest): listed first.
_PAPERS = {
    "contributors.html": (
        "Acknowledgements: who contributed",
        "Every contribution received, on time or late, counted or not, and why.",
    ),
}
_TABLES = {
    "ledger.csv": "every row received, accepted or rejected, with the reason",
    "tables/tables.xlsx": "every table below in one workbook",
    "tables/statements.csv": "the accepted statements, as tagged",
    "tables/contributions.csv": "who contributed",
    "tables/coverage.csv": "evidence per GPA commitment",
    "tables/country_evidence.csv": "per Member State and pillar: who reports what (evidence, not a grade)",
    "tables/region_commitments.csv": "per regional group and commitment: how many States have achievements or gaps reported",
    "tables/theme_commitments.csv": "per theme and commitment: what was reported",
    "tables/gaps.csv": "commitments and themes with no or only negative evidence; States not heard",
    "tables/balance.csv": "how representative the contributions are",
    "tables/contested.csv": "per commitment: Member States and non-governmental contributors reporting achievements and gaps, and whether they disagree",
    "tables/ideas.csv": "each proposal and the idea it belongs to",
    "tables/idea_summary.csv": "the pool of ideas, ranked",
    "zero_draft_elements.docx": "elements for the zero draft (Word)",
    "zero_draft_elements.md": "the same elements as plain text, to compare two builds",
    "manifest.json": "the build's record of every brief",
}


def render_page(review: Review, template: str, index_href: str, **context: object) -> str:
    """A page of the review's own (index, acknowledgements) in the briefs' style, with their
    banners and stamp; `context` fills the template's blocks."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    stamp = Stamp(
        review.config.short_title,
        review.config.status,
        latest_input(review, Slice("overview")),  # the whole review's latest input
        index_href=index_href,
    )
    return env.get_template(template).render(
        lang=review.config.language,
        title=review.config.title,
        illustrative=review.config.illustrative,
        illustrative_note=review.config.illustrative_note,
        milestone_note=review.milestone.note if review.milestone else "",
        css=(paths.TEMPLATES / "brief" / "brief.css").read_text(encoding="utf-8"),
        version=__version__,
        stamp=stamp,
        **context,
    )


def render_index(review: Review, records: dict[str, dict], outputs: Path = paths.OUTPUTS) -> str:
    outputs = Path(outputs)
    papers = [
        {"status": "built", "title": title, "href": f"briefs/{name}", "key_message": what}
        for name, (title, what) in _PAPERS.items()
        if (outputs / "briefs" / name).exists()
    ]
    groups = []
    for kind, title in KIND_TITLES.items():
        rows = sorted(
            (r for r in records.values() if r["kind"] == kind),
            key=lambda r: (r.get("title") or r["brief_id"]).casefold(),
        )
        for r in rows:
            r["href"] = f"briefs/{Path(r['output']).name}"
        if kind == "summary":  # the papers of the whole review follow the summary
            rows += papers
        if rows:
            groups.append({"kind": kind, "title": title, "records": rows})
    failed = sorted(
        (r for r in records.values() if r["status"] == "failed"), key=lambda r: r["brief_id"]
    )
    ok = sum(r["status"] != "failed" for r in records.values())
    s = review.summary()
    return render_page(
        review,
        "index/index.html.j2",
        "index.html",
        page_title=f"{review.config.title} — briefs",
        kicker="Briefing papers",
        heading=review.config.title,
        subtitle=f"{s['contributions']} contributions, "
        f"{s['accepted'] + s['accepted_with_warning']} statements",
        groups=groups,
        failed=failed,
        counts=f"{ok} built, {len(failed)} failed",
        tables=[
            {"href": name, "name": name, "what": what}
            for name, what in _TABLES.items()
            if (outputs / name).exists()
        ],
    )


def write_index(review: Review, records: dict[str, dict], outputs: Path = paths.OUTPUTS) -> Path:
    path = Path(outputs) / "index.html"
    atomic_write_text(path, render_index(review, records, outputs))
    return path
