"""Save the secretariat's edits without ever losing one: triage decisions and rubric weights.

Decisions go to inputs/decisions/triage.csv, one row per statement (what `reviewlib.decisions`
applies when the review loads); every change is also appended to triage_history.csv, which is
what `undo_last` walks back. The rubric tried out in the 10_score notebook goes to rubric.yml,
its values edited in place so that the file's comments stay.

Every write takes a file lock (`<file>.lock`), reads the file again inside it, and replaces the
file atomically (a temporary file renamed into place): two notebooks saving at the same moment
keep both changes, and a reader never sees a half-written file. Contribution files are never
touched.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from filelock import FileLock, Timeout

from reviewlib import paths
from reviewlib.decisions import DECISION_COLUMNS, read_table
from reviewlib.errors import ReviewlibError
from reviewlib.reference import DECISIONS, KINDS, PILLARS, norm, resolve_pillar
from reviewlib.rubric import SOURCES, Rubric, parse_rubric
from reviewlib.tables import atomic_write_text, formula_safe, write_csv

__all__ = [
    "HISTORY_COLUMNS",
    "Undone",
    "save_decision",
    "undo_last",
    "read_history",
    "select_statements",
    "rubric_data",
    "rubric_with",
    "diff_rubric",
    "save_rubric",
    "LOCK_TIMEOUT",
]

HISTORY_COLUMNS = ["entry", "action", "undoes", *DECISION_COLUMNS, "previous"]
LOCK_TIMEOUT = 30.0  # seconds to wait for another notebook to finish its write


def history_file(inputs: Path | str = paths.INPUTS) -> Path:
    return paths.decisions_dir(Path(inputs)) / "triage_history.csv"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # The lock file stays after release, so a folder listing never sees it come and go.
        with FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT, preserve_lock_file=True):
            yield
    except Timeout:
        raise ReviewlibError(
            f"{path.name} has been locked by another notebook for {LOCK_TIMEOUT:g} seconds; "
            f"nothing was saved — try again, or remove {path.name}.lock if no one is saving"
        ) from None


# --- triage decisions ---------------------------------------------------------------------------


def _theme_ids(inputs: Path) -> tuple[str, ...]:
    file = paths.reference_dir(inputs) / "themes.csv"
    return tuple(pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")["theme"])


def _clean(
    inputs: Path,
    statement_id: str,
    decision: str,
    merge_into: str,
    pillar: str,
    themes: str | Iterable[str],
    note: str,
    reviewer: str,
    at: dt.datetime | str | None,
    known_ids: Iterable[str] | None,
) -> dict[str, str]:
    """The decision row to save, or a ValueError saying in a sentence what is wrong."""
    statement_id = str(statement_id).strip()
    if not statement_id:
        raise ValueError("a decision needs the id of the statement it is about")
    reviewer = str(reviewer or "").strip()
    if not reviewer:
        raise ValueError("type your name as reviewer first: every decision records who made it")
    decision = str(decision or "").strip().lower().replace(" ", "_").replace("-", "_")
    if decision and decision not in DECISIONS:
        raise ValueError(
            f"'{decision}' is not a decision; use one of {', '.join(DECISIONS)} (or none)"
        )
    merge_into = str(merge_into or "").strip()
    if decision == "merge":
        if not merge_into:
            raise ValueError(f"say which statement {statement_id} is merged into")
        if merge_into == statement_id:
            raise ValueError(f"statement {statement_id} cannot be merged into itself")
    elif merge_into:
        raise ValueError(
            f"a statement to merge into ('{merge_into}') is only given with the decision 'merge'"
        )
    known = None if known_ids is None else set(known_ids)
    if known is not None:
        for sid in filter(None, (statement_id, merge_into)):
            if sid not in known:
                raise ValueError(f"there is no statement '{sid}' in this review")
    pillar = str(pillar or "").strip()
    if pillar:
        resolved = resolve_pillar(pillar)
        if resolved is None:
            raise ValueError(f"'{pillar}' is not a pillar; use one of {', '.join(PILLARS)}")
        pillar = resolved
    if isinstance(themes, str):
        themes = themes.split(";")
    themes = list(dict.fromkeys(t.strip() for t in themes if t and t.strip()))
    if themes:
        allowed = _theme_ids(inputs)
        unknown = [t for t in themes if t not in allowed]
        if unknown:
            raise ValueError(
                f"{', '.join(repr(t) for t in unknown)} {'is not a theme' if len(unknown) == 1 else 'are not themes'}"
                f"; use the ids of themes.csv: {', '.join(allowed)}"
            )
    if at is None:
        at = dt.datetime.now(dt.UTC)
    at = at.isoformat(timespec="seconds") if isinstance(at, dt.datetime) else str(at)
    return {
        "statement_id": statement_id,
        "decision": decision,
        "merge_into": merge_into,
        "pillar": pillar,
        "themes": ";".join(themes),
        "note": str(note or "").strip(),
        "reviewer": reviewer,
        "at": at,
    }


def _row_of(table: pd.DataFrame, statement_id: str) -> dict[str, str] | None:
    rows = table[table["statement_id"].eq(statement_id)]
    return None if rows.empty else {c: str(v) for c, v in rows.iloc[-1][DECISION_COLUMNS].items()}


def _put(table: pd.DataFrame, statement_id: str, row: dict[str, str] | None) -> pd.DataFrame:
    """The table with the statement's row replaced (or removed when row is None), sorted by id."""
    kept = table[table["statement_id"].ne(statement_id)]
    if row is not None:
        kept = pd.concat([kept, pd.DataFrame([row])], ignore_index=True).fillna("")
    return kept.sort_values("statement_id", kind="stable").reset_index(drop=True)


def _append_history(inputs: Path, entry: dict[str, str]) -> None:
    """Append one line to the history (under the caller's lock); one write, so a line is whole."""
    path = history_file(inputs)
    frame = formula_safe(pd.DataFrame([entry], columns=HISTORY_COLUMNS))
    text = frame.to_csv(
        index=False, header=not path.exists() or path.stat().st_size == 0, lineterminator="\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


def read_history(inputs: Path | str = paths.INPUTS) -> pd.DataFrame:
    """Every change saved in triage, oldest first: entry, action (save|undo), undoes, the row, previous."""
    path = history_file(Path(inputs))
    if not path.exists():
        return pd.DataFrame(columns=HISTORY_COLUMNS, dtype=object)
    return pd.read_csv(path, dtype=str, keep_default_na=False).reindex(
        columns=HISTORY_COLUMNS, fill_value=""
    )


def save_decision(
    inputs: Path | str,
    statement_id: str,
    *,
    decision: str = "",
    merge_into: str = "",
    pillar: str = "",
    themes: str | Iterable[str] = (),
    note: str = "",
    reviewer: str,
    at: dt.datetime | str | None = None,
    known_ids: Iterable[str] | None = None,
) -> dict[str, str]:
    """Save the secretariat's call on one statement in triage.csv (replacing its earlier one) and return it.

    decision is keep, merge (with merge_into) or set_aside, or "" when only pillar, themes or a note
    are set; pillar and themes ("" / none = as submitted) correct the statement's own. `known_ids`,
    when given, are the statement ids the decision may name. A decision about a statement that no
    longer exists stays in the file: loading the review reports it in the ledger.
    """
    inputs = Path(inputs)
    row = _clean(
        inputs, statement_id, decision, merge_into, pillar, themes, note, reviewer, at, known_ids
    )
    path = paths.triage_file(inputs)
    with _locked(path):
        table = read_table(path)
        previous = _row_of(table, row["statement_id"])
        write_csv(_put(table, row["statement_id"], row), path)
        _append_history(
            inputs,
            {
                "entry": uuid.uuid4().hex[:12],
                "action": "save",
                "undoes": "",
                **row,
                "previous": json.dumps(previous, ensure_ascii=False) if previous else "",
            },
        )
    return row


@dataclass(frozen=True)
class Undone:
    """What an undo did: the statement, and the decision now in force for it (None = no decision)."""

    statement_id: str
    restored: dict[str, str] | None

    @property
    def message(self) -> str:
        if self.restored is None:
            return f"undone: statement {self.statement_id} has no decision any more"
        shown = self.restored["decision"] or "no decision"
        return f"undone: statement {self.statement_id} is back to {shown} ({self.restored['reviewer']}, {self.restored['at']})"


def undo_last(inputs: Path | str, reviewer: str) -> Undone | None:
    """Undo the reviewer's latest change not yet undone; None when there is nothing left to undo.

    The statement gets back the decision it had before that change. If someone else has changed the
    statement since, nothing is undone and a ValueError says who and when.
    """
    inputs = Path(inputs)
    reviewer = str(reviewer or "").strip()
    if not reviewer:
        raise ValueError("type your name as reviewer first: undo takes back your own latest change")
    path = paths.triage_file(inputs)
    with _locked(path):
        history = read_history(inputs)
        undone = set(history.loc[history["action"].eq("undo"), "undoes"])
        mine = history[
            history["action"].eq("save")
            & history["reviewer"].eq(reviewer)
            & ~history["entry"].isin(undone)
        ]
        if mine.empty:
            return None
        last = mine.iloc[-1]
        sid = last["statement_id"]
        table = read_table(path)
        current = _row_of(table, sid)
        written = {c: last[c] for c in DECISION_COLUMNS}
        if current != written:
            who = f"{current['reviewer']} at {current['at']}" if current else "someone"
            raise ValueError(
                f"statement {sid} was changed by {who} after your change, "
                "so nothing was undone; set its decision again if needed"
            )
        restored = json.loads(last["previous"]) if last["previous"] else None
        write_csv(_put(table, sid, restored), path)
        shown = restored or dict.fromkeys(DECISION_COLUMNS, "") | {"statement_id": sid}
        _append_history(
            inputs,
            {
                **shown,
                "entry": uuid.uuid4().hex[:12],
                "action": "undo",
                "undoes": last["entry"],
                "reviewer": reviewer,
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "previous": json.dumps(current, ensure_ascii=False),
            },
        )
    return Undone(sid, restored)


# --- choosing statements to triage ----------------------------------------------------------------

FILTERS = ("pillar", "theme", "kind", "stakeholder_type", "country", "language", "decision", "text")
UNDECIDED = "undecided"
NO_PILLAR = "none"


def select_statements(statements: pd.DataFrame, **filters: str) -> pd.DataFrame:
    """The statements matching every filter given ("" = any), in statement id order.

    pillar (or "none"), theme, kind, stakeholder_type, language; country = the contributor's
    country or the one the statement is about (ISO3); decision (or "undecided"); text = words
    found in the text, evidence, submitter, id or note, case and accents ignored.
    """
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise ValueError(f"cannot filter by {', '.join(sorted(unknown))}; use {', '.join(FILTERS)}")
    s = statements
    keep = pd.Series(True, index=s.index)
    for column in ("kind", "stakeholder_type", "language"):
        if filters.get(column):
            keep &= s[column].eq(filters[column])
    if pillar := filters.get("pillar"):
        keep &= s["pillar"].eq("" if pillar == NO_PILLAR else pillar)
    if theme := filters.get("theme"):
        keep &= s["themes"].str.split(";").map(lambda items: theme in items)
    if country := filters.get("country"):
        keep &= s["country"].eq(country) | s["scope_iso3"].eq(country)
    if decision := filters.get("decision"):
        keep &= s["decision"].eq("" if decision == UNDECIDED else decision)
    if words := norm(filters.get("text", "")).split():
        haystack = (
            s["statement_id"]
            + " "
            + s["submitter"]
            + " "
            + s["text"]
            + " "
            + s["evidence"].fillna("")
            + " "
            + s["note"].fillna("")
        ).map(norm)
        for word in words:
            keep &= haystack.str.contains(word, regex=False)
    return s[keep].sort_values("statement_id", kind="stable")


# --- the rubric -----------------------------------------------------------------------------------

_MISSING = object()


def rubric_data(rubric: Rubric) -> dict[str, Any]:
    """The rubric as the data of rubric.yml (what `parse_rubric` reads back into the same Rubric)."""

    def criterion(c) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": c.id,
            "label": c.label,
            "weight": c.weight,
            "commitments": list(c.commitments),
            "keywords": list(c.keywords),
        }
        if c.indicator is not None:
            names = c.indicator.names
            out["indicator"] = {
                "name": "any" if not names else names[0] if len(names) == 1 else list(names),
                "rule": c.indicator.rule,
            }
        return out

    return {
        "weights": {
            "kinds": {k: rubric.kind_weights[k] for k in KINDS},
            "sources": {s: rubric.source_weights[s] for s in SOURCES},
        },
        "independent_sources": [s for s in SOURCES if s in rubric.independent],
        "matching": {"keywords": rubric.keyword_mode},
        "glotip": {
            "last_year": rubric.glotip_last_year,
            "recent_years": rubric.recent_years,
            "trend_years": rubric.trend_years,
        },
        "pillars": {
            p: {"criteria": [criterion(c) for c in rubric.criteria_of(p)]} for p in rubric.pillars
        },
        "levels": {
            "minimum_evidence": {"statements": rubric.min_statements, "items": rubric.min_items},
            "insufficient_label": rubric.insufficient_label,
            "cutoffs": [
                {"level": x.level, "label": x.label, "min_share": x.min_share}
                for x in rubric.levels
            ],
            "penalty": {"per_criterion": rubric.penalty_per_criterion, "max": rubric.penalty_max},
        },
        "commitment_status": {
            "on_track_min_share": rubric.on_track_min_share,
            "lagging_max_share": rubric.lagging_max_share,
        },
        "weakest": {"count": rubric.weakest_count, "min_scored": rubric.weakest_min_scored},
        "summaries": {"top": rubric.top},
    }


def _flatten(data: Any, path: tuple = ()) -> dict[tuple, Any]:
    """Leaves by path; lists of mappings (criteria, cut-offs) are walked, lists of names are leaves."""
    if isinstance(data, dict):
        return {p: v for k, sub in data.items() for p, v in _flatten(sub, (*path, k)).items()}
    if isinstance(data, list) and any(isinstance(x, dict) for x in data):
        return {p: v for i, sub in enumerate(data) for p, v in _flatten(sub, (*path, i)).items()}
    return {path: data}


def _key(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _parse_key(key: str) -> tuple:
    parts: list[Any] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", key):
        parts.append(int(index) if index else name)
    if _key(tuple(parts)) != key.strip():
        raise ValueError(
            f"'{key}' is not written like a rubric setting, e.g. weights.kinds.gap or "
            "levels.cutoffs[1].min_share"
        )
    return tuple(parts)


def _set(data: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def rubric_with(rubric: Rubric, changes: Mapping[str, Any]) -> Rubric:
    """Another rubric with some settings changed, checked as rubric.yml is.

    Keys are the settings' names in rubric.yml, e.g. {"weights.kinds.gap": -2,
    "weights.sources.civil_society": 1.5, "levels.cutoffs[1].min_share": 0.2} (cut-offs in level
    order). An unknown key is a ValueError; a value the rubric does not allow is a RubricError
    naming it, as for the file.
    """
    data = rubric_data(rubric)
    leaves = _flatten(data)
    for key, value in changes.items():
        path = _parse_key(key)
        if path not in leaves:
            raise ValueError(
                f"'{key}' is not a setting of the rubric; e.g. weights.kinds.gap, "
                "weights.sources.media or levels.cutoffs[1].min_share"
            )
        if isinstance(value, float):
            value = round(value, 6)  # a slider's 0.35000000000000003 is 0.35
        _set(data, path, value)
    return parse_rubric(data, rubric.file)


def _describe(path: tuple, data: dict[str, Any]) -> str:
    """The key, and which cut-off level or criterion it belongs to."""
    key = _key(path)
    if path[:2] == ("levels", "cutoffs") and len(path) > 2:
        cut = data["levels"]["cutoffs"][path[2]]
        return f"{key} (level {cut['level']}, {cut['label']})"
    if path[0] == "pillars" and len(path) > 3:
        return f"{key} ({data['pillars'][path[1]]['criteria'][path[3]]['id']})"
    return key


def _same(a: Any, b: Any) -> bool:
    """Equal as settings: 1, 1.0 and 1.0000000001 are the same weight, the text '1' is not."""
    numbers = (int, float)
    if (
        isinstance(a, numbers)
        and isinstance(b, numbers)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        return math.isclose(a, b, rel_tol=0, abs_tol=5e-7)
    return a == b and isinstance(a, str) == isinstance(b, str)


def _same_data(a: dict[str, Any], b: dict[str, Any]) -> bool:
    flat_a, flat_b = _flatten(a), _flatten(b)
    return flat_a.keys() == flat_b.keys() and all(_same(flat_a[k], flat_b[k]) for k in flat_a)


def _shown(value: Any) -> str:
    if value is _MISSING:
        return "(none)"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def diff_rubric(old: Rubric | None, new: Rubric) -> list[str]:
    """What changes from one rubric to the other, a line per setting: 'weights.kinds.gap: -1 → -2'."""
    before = _flatten(rubric_data(old)) if old is not None else {}
    after_data = rubric_data(new)
    after = _flatten(after_data)
    lines = []
    for path in [*after, *(p for p in before if p not in after)]:
        a, b = before.get(path, _MISSING), after.get(path, _MISSING)
        if not _same(a, b):
            described = _describe(path, after_data) if b is not _MISSING else _key(path)
            lines.append(f"{described}: {_shown(a)} → {_shown(b)}")
    return lines


def _yaml_text(value: Any) -> str:
    """A value as YAML text that reads back as the same value."""
    if isinstance(value, bool) or value is None:
        return yaml.safe_dump(value).split("\n")[0]
    if isinstance(value, int | float):
        if float(value).is_integer():
            return str(int(value))
        text = repr(round(float(value), 6))
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_text(v) for v in value) + "]"
    return yaml.safe_dump(value, width=10**6, allow_unicode=True).split("\n")[0]


def _node_at(root: yaml.Node, path: tuple) -> yaml.Node | None:
    node = root
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, yaml.SequenceNode) or part >= len(node.value):
                return None
            node = node.value[part]
        else:
            if not isinstance(node, yaml.MappingNode):
                return None
            found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part]
            if not found:
                return None
            node = found[0]
    return node


def _edited(text: str, before: dict[str, Any], wanted: dict[str, Any]) -> str | None:
    """The file's text with only the changed values rewritten in place (comments kept), or None."""
    old, new = _flatten(before), _flatten(wanted)
    if set(old) != set(new):
        return None
    root = yaml.compose(text)
    edits = []
    for path, value in new.items():
        if _same(old[path], value):
            continue
        node = _node_at(root, path)
        if node is None:
            return None
        edits.append((node.start_mark.index, node.end_mark.index, _yaml_text(value)))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _reads_as(text: str, rubric: Rubric, file: str) -> bool:
    """Whether the text is a rubric file that reads back as this rubric."""
    try:
        return _same_data(
            rubric_data(parse_rubric(yaml.safe_load(text), file)), rubric_data(rubric)
        )
    except (yaml.YAMLError, ReviewlibError):
        return False


_HEADER = """\
# The scoring rubric of the review, written by reviewlib (save_rubric). The comments of the earlier
# file could not be kept: the project's inputs/rubric.yml explains every setting.
"""


def save_rubric(
    rubric: Rubric, path: Path | str | None = None, *, base: Rubric | None = None
) -> list[str]:
    """Write the rubric to rubric.yml and return what changed in the file (see diff_rubric).

    Values are edited in place, so every comment stays; when the file's shape does not allow it
    (a setting it leaves to its default, a new criterion) the file is written anew with a header.
    With `base` (the rubric the changes were made from), only the settings changed from it are
    written, so a change someone else saved meanwhile to another setting is kept.
    """
    path = Path(path) if path is not None else paths.rubric_file()
    with _locked(path):
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        current = parse_rubric(yaml.safe_load(text), path.name) if text.strip() else None
        wanted = rubric_data(rubric)
        if base is not None and current is not None:
            merged = rubric_data(current)
            after, before = _flatten(wanted), _flatten(rubric_data(base))
            try:
                for leaf, value in after.items():
                    if not _same(before.get(leaf, _MISSING), value):
                        _set(merged, leaf, value)
                wanted = merged
            except (KeyError, IndexError, TypeError):
                pass  # the file's shape changed meanwhile: write the rubric as given
        final = parse_rubric(wanted, path.name)
        new_text = _edited(text, rubric_data(current), wanted) if current is not None else None
        if new_text is None or not _reads_as(new_text, final, path.name):
            new_text = _HEADER + yaml.safe_dump(
                wanted, sort_keys=False, allow_unicode=True, width=100
            )
        changes = diff_rubric(current, final)
        if new_text != text:
            atomic_write_text(path, new_text)
    return changes
