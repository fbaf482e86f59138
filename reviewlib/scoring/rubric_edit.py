"""Edit the rubric as data: the rubric as rubric.yml's settings, another rubric with a few settings
changed, what differs between two, and saving it to rubric.yml with every comment kept.

Saving takes the file's lock and edits only the values that changed, in place (or through
ruamel.yaml's round trip when the file's shape requires it), so every comment stays; a change
someone else saved meanwhile to another setting stays, one to the same setting is refused.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from reviewlib import paths
from reviewlib.errors import ReviewlibError
from reviewlib.files import atomic_write_text, locked
from reviewlib.gather.edited import read_text, refuse_aliases
from reviewlib.scoring.rubric import SOURCES, Rubric, parse_rubric
from reviewlib.terms import KINDS

__all__ = ["rubric_data", "rubric_with", "diff_rubric", "save_rubric", "RubricConflict"]


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
            "penalty": {
                "per_criterion": rubric.penalty_per_criterion,
                "max": rubric.penalty_max,
                "min_statements": rubric.penalty_min_statements,
            },
        },
        "commitment_status": {
            "on_track_min_share": rubric.on_track_min_share,
            "lagging_max_share": rubric.lagging_max_share,
            "lagging_min_contributors": rubric.lagging_min_contributors,
        },
        "summaries": {"top": rubric.top},
        "quotes": {
            "per_brief": rubric.quotes_per_brief,
            "max_per_type": rubric.quotes_max_per_type,
            "max_per_group": rubric.quotes_max_per_group,
        },
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


class RubricConflict(ValueError):
    """Someone saved rubric.yml since it was read, changing the same settings; nothing was saved."""


def _merge(current: dict[str, Any], base: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """The file's settings with the changes made from `base` applied, field by field; a setting
    changed both here and in the file since (or gone from the file) is a RubricConflict."""
    merged = copy.deepcopy(current)
    now, before = _flatten(current), _flatten(base)
    clashes = []
    for leaf, value in _flatten(wanted).items():
        if _same(before.get(leaf, _MISSING), value):
            continue  # not changed here
        if leaf not in now:
            clashes.append(f"{_key(leaf)} is no longer in the file")
        elif not _same(now[leaf], before.get(leaf, _MISSING)) and not _same(now[leaf], value):
            clashes.append(
                f"{_key(leaf)} is now {_shown(now[leaf])} in the file (yours: {_shown(value)})"
            )
        else:
            _set(merged, leaf, value)
    if clashes:
        raise RubricConflict(
            "rubric.yml was saved by someone else since you opened it: "
            + "; ".join(clashes)
            + "; nothing was saved — press 'Back to rubric.yml' to see theirs, then set yours again"
        )
    return merged


def _round_trip(text: str, current: dict[str, Any] | None, wanted: dict[str, Any]) -> str:
    """The file with the changed settings written by ruamel.yaml's round trip: every comment and
    the order of keys stay; a setting the file left to its default is added where it belongs."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml_rt = YAML()
    yaml_rt.width = 100
    yaml_rt.indent(mapping=2, sequence=4, offset=2)
    doc = yaml_rt.load(text) if text.strip() else None
    if not isinstance(doc, CommentedMap):
        doc = CommentedMap()

    def fresh(value: Any) -> Any:
        if isinstance(value, dict):
            return CommentedMap((k, fresh(v)) for k, v in value.items())
        if isinstance(value, list):
            seq = CommentedSeq(fresh(v) for v in value)
            if not any(isinstance(v, dict) for v in value):
                seq.fa.set_flow_style()
            return seq
        return value

    def update(node: Any, old: Any, new: Any) -> Any:
        """`node` (from the file) changed from `old` to `new`; unchanged parts are left alone."""
        if isinstance(new, dict) and isinstance(node, CommentedMap):
            for key, value in new.items():
                before = old.get(key, _MISSING) if isinstance(old, dict) else _MISSING
                if key in node:
                    node[key] = update(node[key], before, value)
                elif before is _MISSING or not _same_data({"v": before}, {"v": value}):
                    node[key] = fresh(value)  # a default the file left out, now changed
            return node
        if (
            isinstance(new, list)
            and any(isinstance(v, dict) for v in new)
            and isinstance(node, CommentedSeq)
        ):
            olds = old if isinstance(old, list) else []
            for i, value in enumerate(new):
                if i < len(node):
                    node[i] = update(node[i], olds[i] if i < len(olds) else _MISSING, value)
                else:
                    node.append(fresh(value))
            del node[len(new) :]
            return node
        if old is not _MISSING and _same_data({"v": old}, {"v": new}):
            return node  # the same setting: keep how the file writes it
        return fresh(new)

    update(doc, current or {}, wanted)
    out = io.StringIO()
    yaml_rt.dump(doc, out)
    return out.getvalue()


def save_rubric(
    rubric: Rubric, path: Path | str | None = None, *, base: Rubric | None = None
) -> list[str]:
    """Write the rubric to rubric.yml and return what changed in the file (see diff_rubric).

    Changed values are edited in place, so the file stays as written but for them; when its
    shape does not allow that (a setting it leaves to its default, a new criterion), ruamel.yaml
    writes it with every comment kept. With `base` (the rubric the changes were made from), only
    the settings changed from it are written, so a change someone else saved meanwhile to another
    setting stays; one to the same setting is a RubricConflict and nothing is written.
    """
    path = Path(path) if path is not None else paths.rubric_file()
    with locked(path):
        text = read_text(path) if path.exists() else ""
        refuse_aliases(text, path)
        current = parse_rubric(yaml.safe_load(text), path.name) if text.strip() else None
        wanted = rubric_data(rubric)
        if base is not None and current is not None:
            wanted = _merge(rubric_data(current), rubric_data(base), wanted)
        final = parse_rubric(wanted, path.name)
        current_data = rubric_data(current) if current is not None else None
        new_text = _edited(text, current_data, wanted) if current is not None else None
        if new_text is None or not _reads_as(new_text, final, path.name):
            new_text = _round_trip(text, current_data, wanted)
        changes = diff_rubric(current, final)
        if new_text != text:
            atomic_write_text(path, new_text)
    return changes
