"""The evidence as it may be circulated: who reports what about each Member State, and where the
evidence about a regional group's States or a theme clusters — counts and statement ids, never a
grade.

- `country_evidence`: per Member State and pillar, what the Government reports (achievements,
  gaps it reports itself), what others report (their critical statements, by stakeholder type),
  initiatives by others in the country (achievements and good practices of anyone but the
  Government), proposals, and how many UNODC figures the rubric's GLOTIP rules found.
- `region_commitments`: per regional group and GPA commitment, how many of the group's States
  have achievements or gaps reported on it.
- `theme_commitments`: per theme and commitment, what was reported and by how many contributors.

Only statements that count are used (not set aside, not merged), as everywhere in scoring.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reviewlib.gather.reference import Reference
from reviewlib.scoring.arrays import codes_of, count_distinct, join_by, split_ids
from reviewlib.scoring.coverage import rollup
from reviewlib.scoring.rubric import Rubric
from reviewlib.scoring.weighing import Coded
from reviewlib.terms import KINDS, PILLARS, REGIONAL_GROUPS, STAKEHOLDER_TYPES, TYPE_LABELS

__all__ = [
    "ALL",
    "NO_PILLAR",
    "country_evidence",
    "region_commitments",
    "theme_commitments",
]

NO_PILLAR = "none"  # the pillar row of statements no pillar was given or found for
ALL = "all"  # the row of every pillar together
_POSITIVE = (KINDS.index("achievement"), KINDS.index("good_practice"))


def _pillar_rows(c: Coded) -> np.ndarray:
    """Each statement's pillar as a row index: PILLARS in order, then NO_PILLAR."""
    return np.where(c.pillar >= 0, c.pillar, len(PILLARS))


def _by_type(group: np.ndarray, stakeholder: np.ndarray, n: int) -> np.ndarray:
    """Per group, "civil society 2; media 1": how many statements each stakeholder type made."""
    counts = np.bincount(
        group * len(STAKEHOLDER_TYPES) + stakeholder.clip(0), minlength=n * len(STAKEHOLDER_TYPES)
    ).reshape(n, -1)
    labels = [TYPE_LABELS[t] for t in STAKEHOLDER_TYPES]
    return np.array(
        ["; ".join(f"{labels[t]} {k}" for t, k in enumerate(row) if k) for row in counts],
        dtype=object,
    )


def _figures_per_pillar(criteria: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Per State and pillar, the distinct GLOTIP rows its criteria's rules looked at."""
    rows = criteria.loc[criteria["indicator_rows"].ne(""), ["iso3", "pillar", "indicator_rows"]]
    rows = rows.assign(ref=rows["indicator_rows"].str.split(";")).explode("ref")
    rows = rows.drop_duplicates(["iso3", "pillar", "ref"]).sort_values(["iso3", "pillar", "ref"])
    grouped = rows.groupby(["iso3", "pillar"])["ref"]
    return pd.DataFrame({"unodc_rows": grouped.agg(";".join)})


def _country_rows(
    c: Coded, states: np.ndarray, keys: list[str], pillar_row: np.ndarray
) -> pd.DataFrame:
    row_of = np.full(len(c.states) + 1, -1, np.int64)
    row_of[codes_of(pd.Series(states), c.states)] = np.arange(len(states))
    about = np.flatnonzero(c.scope >= 0)
    about = about[row_of[c.scope[about]] >= 0]
    n = len(states) * len(keys)
    group = row_of[c.scope[about]] * len(keys) + pillar_row[about]
    kind, own = c.kind[about], c.self_report[about]
    positive = np.isin(kind, _POSITIVE)
    parts = {
        "government_achievements": own & positive,
        "government_gaps": own & (kind == KINDS.index("gap")),
        "others_gaps": ~own & (kind == KINDS.index("gap")),
        "initiatives_by_others": ~own & positive,
        "proposals": kind == KINDS.index("proposal"),
    }
    ids = c.ids[about]
    out = pd.DataFrame(
        {
            "iso3": np.repeat(states, len(keys)),
            "pillar": np.tile(np.array(keys, dtype=object), len(states)),
            "n_statements": np.bincount(group, minlength=n),
            "n_contributors": count_distinct(group, c.submitter[about], n, len(c.submitters)),
        }
    )
    for name, mask in parts.items():
        out[name] = np.bincount(group[mask], minlength=n)
    out["others_gaps_by_type"] = _by_type(
        group[parts["others_gaps"]], c.stakeholder[about][parts["others_gaps"]], n
    )
    for name, mask in parts.items():
        out[f"{name}_ids"] = join_by(group[mask], ids[mask], n)
    out["statement_ids"] = join_by(group, ids, n)
    return out


def country_evidence(
    c: Coded, criteria: pd.DataFrame, states: np.ndarray, reference: Reference, rubric: Rubric
) -> pd.DataFrame:
    """Per Member State in `states`: a row per pillar (and NO_PILLAR when some statement has
    none), then a row ALL for every pillar together — who reports what about it, with the
    statement ids of each part and the UNODC figures its rubric rules looked at."""
    keys = [*PILLARS, NO_PILLAR]
    by_pillar = _country_rows(c, states, keys, _pillar_rows(c))
    everything = _country_rows(c, states, [ALL], np.zeros(len(c.ids), np.int64))
    figures = _figures_per_pillar(criteria, rubric)
    totals = figures.groupby(level="iso3")["unodc_rows"].agg(
        lambda refs: ";".join(sorted(set(";".join(refs).split(";"))))
    )
    figures = pd.concat(
        [
            figures,
            pd.DataFrame({"unodc_rows": totals})
            .assign(pillar=ALL)
            .set_index("pillar", append=True),
        ]
    )
    figures["unodc_figures"] = figures["unodc_rows"].str.split(";").map(len)
    out = pd.concat([by_pillar, everything], ignore_index=True).merge(
        figures, left_on=["iso3", "pillar"], right_index=True, how="left"
    )
    out["unodc_figures"] = out["unodc_figures"].fillna(0).astype(np.int64)
    out["unodc_rows"] = out["unodc_rows"].fillna("")
    order = {k: i for i, k in enumerate([*keys, ALL])}
    out = out[out["pillar"].ne(NO_PILLAR) | out["n_statements"].gt(0)]
    out = out.assign(_o=out["pillar"].map(order)).sort_values(["iso3", "_o"], kind="stable")
    out = out.drop(columns="_o").reset_index(drop=True)
    out.insert(1, "country", out["iso3"].map(reference.name_of))
    out.insert(2, "regional_group", out["iso3"].map(reference.group_of))
    return out


def region_commitments(weighed: pd.DataFrame, c: Coded, reference: Reference) -> pd.DataFrame:
    """Per regional group and commitment named about the group's States (or the group itself):
    how many of its States have achievements or gaps reported on it, and the statement ids."""
    rows, named = split_ids(weighed["counted_commitments"])
    commitments = list(reference.commitments["commitment"])
    code = codes_of(named, commitments)
    keep = (code >= 0) & (c.region[rows] >= 0)
    rows, code = rows[keep], code[keep]
    group = c.region[rows] * len(commitments) + code
    n = len(commitments) * len(REGIONAL_GROUPS)
    state, kind, n_states = c.scope[rows], c.kind[rows], len(c.states)
    out = pd.DataFrame(
        {
            "regional_group": np.repeat(np.array(REGIONAL_GROUPS, dtype=object), len(commitments)),
            "commitment": np.tile(np.array(commitments, dtype=object), len(REGIONAL_GROUPS)),
        }
    )
    out["title"] = out["commitment"].map(reference.commitment_title)
    out["n_states"] = count_distinct(group, state, n, n_states)
    positive = np.isin(kind, _POSITIVE)
    gap = kind == KINDS.index("gap")
    out["n_states_with_achievements"] = count_distinct(
        group, np.where(positive, state, -1), n, n_states
    )
    out["n_states_with_gaps"] = count_distinct(group, np.where(gap, state, -1), n, n_states)
    out["achievements"] = np.bincount(group[positive], minlength=n)
    out["gaps"] = np.bincount(group[gap], minlength=n)
    out["n_statements"] = np.bincount(group, minlength=n)
    out["statement_ids"] = join_by(group, c.ids[rows], n, np.lexsort((rows, group)))
    return out[out["n_statements"].gt(0)].reset_index(drop=True)


def theme_commitments(
    weighed: pd.DataFrame, c: Coded, reference: Reference, rubric: Rubric
) -> pd.DataFrame:
    """Per theme and commitment named together in a statement: what was reported, by whom."""
    t_rows, t_ids = split_ids(weighed["themes"])
    themes = list(reference.themes["theme"])
    commitments = list(reference.commitments["commitment"])
    k_rows, k_ids = split_ids(weighed["counted_commitments"])
    pairs = pd.DataFrame({"row": t_rows, "theme": codes_of(t_ids, themes)}).merge(
        pd.DataFrame({"row": k_rows, "commitment": codes_of(k_ids, commitments)}), on="row"
    )
    pairs = pairs[(pairs["theme"] >= 0) & (pairs["commitment"] >= 0)]
    keys = [f"{t}|{k}" for t in themes for k in commitments]
    group = (pairs["theme"] * len(commitments) + pairs["commitment"]).to_numpy(np.int64)
    out = rollup(c, pairs["row"].to_numpy(np.int64), group, keys, "key", rubric)
    out.insert(0, "theme", np.repeat(np.array(themes, dtype=object), len(commitments)))
    out.insert(1, "commitment", np.tile(np.array(commitments, dtype=object), len(themes)))
    out.insert(2, "title", out["commitment"].map(reference.commitment_title))
    out = out.drop(columns="key")
    return out[out["n_statements"].gt(0)].reset_index(drop=True)
