"""Suggest what a paragraph read from a document is: its kind, pillar and the country it is about.

By rule: cue phrases of each kind in the six UN languages ("should", "devrait", "debería",
"следует", "ينبغي", "应" … for a proposal), the pillar keywords of `reference/pillars.csv`, and
the Member States named in the text. The pillar's cues add the words documents use around the
keywords of pillars.csv and, in Arabic and Chinese (which pillars.csv lacks), the pillars' words
as the Plan's commitments put them; the cues found are kept, for a model to weigh in on the
pillar (`learned`). Each suggestion has a
confidence between 0 and 1: the share of the cues found that point to it, lowered when few were
found. Themes are inferred from the text by the row checks, as for any statement. Suggestions
are only that: a statement read from a document waits, `suggested`, until an officer confirms
or corrects it in triage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from reviewlib.gather.classify import KeywordClassifier
from reviewlib.gather.reference import Reference
from reviewlib.gather.splitting import cues
from reviewlib.terms import KINDS
from reviewlib.text import fold

__all__ = [
    "Suggestion",
    "kind_cues",
    "document_cues",
    "suggest_kind",
    "pillar_cues",
    "suggest_documents",
]


@cache
def kind_cues() -> dict[str, re.Pattern[str]]:
    """Cue phrases per kind, in English, French, Spanish, Russian, Arabic and Chinese (compiled
    once, when first needed: a build that reads no document never needs them)."""
    return {
        "proposal": cues(
            *("should", "must", "recommend*", "call on", "call upon", "calls on", "we propose"),
            *("propose", "proposes", "urge*", "need to", "needs to", "it is essential", "ought to"),
            *("encourage*", "we ask", "invite*", "priority should", "request*"),
            *("devrait", "devraient", "doit", "doivent", "recommand*", "propos*", "il convient"),
            *("il faut", "faudrait", "appel*", "invit*", "encourag*", "exhort*", "demand*"),
            *("debería", "deberían", "debe", "deben", "recomend*", "propon*", "propuesta"),
            *("insta*", "exhorta*", "es necesario", "es preciso", "alienta*", "solicita*", "pide"),
            *("следует", "должн*", "рекоменд*", "предлага*", "призыва*", "необходимо"),
            *("предложени*", "нужно", "ينبغي", "يجب", "نوصي", "توصي", "نقترح", "ندعو"),
            *("应", "应当", "应该", "建议", "呼吁", "必须"),
        ),
        "gap": cues(
            *("lack*", "insufficient", "remain*", "still", "challenge*", "gap", "gaps", "limited"),
            *("not yet", "few", "concern*", "obstacle*", "difficult*", "rarely", "shortage*"),
            *("unable", "fail*", "weak*", "inadequate", "absence", "no data", "problem*"),
            *("barrier*", "hamper*", "only a few", "under-resourced", "backlog*", "low number"),
            *("manque*", "insuffisan*", "reste*", "restent", "encore", "difficult*", "lacune*"),
            *("faible*", "peu de", "pas encore", "préoccup*", "obstacle*", "absence", "défi*"),
            *("falta*", "insuficien*", "sigue*", "siguen", "persist*", "todavía", "aún"),
            *("desafío*", "brecha*", "escas*", "preocupa*", "obstáculo*", "limitad*", "carece*"),
            *("недостат*", "нехватк*", "остается", "остаются", "по-прежнему", "проблем*"),
            *("пробел*", "ограничен*", "отсутств*", "не хватает", "слаб*", "трудност*"),
            *("نقص", "لا يزال", "لا تزال", "تحديات", "ثغرات", "قصور"),
            *("缺乏", "不足", "仍然", "挑战", "差距", "有限"),
        ),
        "good_practice": cues(
            *("good practice*", "promising practice*", "pilot*", "worked well", "lessons learned"),
            *("model", "example", "effective", "successful*", "has proven", "proved effective"),
            *("replicat*", "best practice*", "works well"),
            *("bonne* pratique*", "pratique* prometteuse*", "pilote", "exemple", "efficace*"),
            *("a fait ses preuves", "modèle", "réussi*", "reproduit*"),
            *("buena* práctica*", "práctica* prometedora*", "piloto", "ejemplo", "eficaz"),
            *("exitos*", "modelo", "replica*"),
            *("передов*", "положительн*", "пилотн*", "эффективн*", "успешн*", "пример*"),
            *("ممارسة جيدة", "الممارسات الجيدة", "تجريبي", "良好做法", "试点", "成功经验"),
        ),
        "achievement": cues(
            *(
                "adopted",
                "established",
                "launched",
                "has been",
                "have been",
                "increased",
                "trained",
            ),
            *("ratified", "enacted", "created", "introduced", "set up", "strengthened", "amended"),
            *("opened", "appointed", "completed", "signed", "we have", "has adopted", "approved"),
            *("a adopté", "adopté*", "a été", "ont été", "créé*", "mis en place", "mise en place"),
            *("lancé*", "renforcé*", "ratifié*", "formé*", "a ouvert", "nommé*"),
            *("aprobó", "adoptó", "ha sido", "han sido", "se creó", "estableció", "puso en marcha"),
            *("lanzó", "ratificó", "capacitó", "fortaleció", "creó", "ha adoptado", "se aprobó"),
            *("принят*", "создан*", "учрежден*", "запущен*", "ратифицир*", "обучен*", "усилен*"),
            *("открыт*", "утвержден*", "اعتمدت", "أنشأت", "أطلقت", "صدقت"),
            *(
                "has reached",
                "have reached",
                "has assisted",
                "have assisted",
                "has provided",
                "since 20*",
            ),
            *("is now", "are now", "has supported", "have supported", "fue aprobad*", "fue cread*"),
            *(
                "ha brindado",
                "ha prestado",
                "ha asistido",
                "desde 20*",
                "ont sensibilisé",
                "depuis 20*",
            ),
            *("a aidé", "ont aidé", "a fourni", "оказал*", "провел*", "провел*", "с 20* года"),
            *("通过了", "设立", "成立", "启动", "批准"),
        ),
    }


# Cue phrases of each pillar besides the keywords of reference/pillars.csv (which the row checks
# use for every statement): the words documents use around them, in the same four languages …
_DOCUMENT_WORDS = {
    "prevention": (
        *("awareness", "campaign*", "recruit*", "online", "internet", "school*", "data"),
        *("statistic*", "root cause*", "labour inspect*", "pre-departure", "demand"),
        *("sensibilis*", "recrutement", "en ligne", "données", "école*", "inspection du travail"),
        *("sensibiliz*", "reclutamiento", "datos", "escuela*", "estadística*", "campaña*"),
        *("информир*", "вербовк*", "трудоустройств*", "данны*", "горяч* лини*", "статистик*"),
    ),
    "protection": (
        *("victim*", "survivor*", "shelter*", "assistance", "legal aid", "reintegrat*"),
        *("compensation", "psychosocial", "counsel*", "identif*", "referral", "remed*"),
        *("victime*", "accueil", "réinsertion", "scolarisation", "assistance", "orientation"),
        *("víctima*", "sobreviviente*", "albergue*", "asistencia", "reintegración", "reparación"),
        *("жертв*", "пострадавш*", "приют*", "помощ*", "реабилит*", "реинтеграц*", "компенсац*"),
    ),
    "prosecution": (
        *("prosecut*", "investigat*", "court*", "convict*", "judge*", "law enforcement"),
        *("police", "criminal", "evidence", "impunity", "penal*", "act", "sanction*"),
        *("poursuite*", "enquête*", "magistrat*", "condamnation*", "tribunal*", "juge*", "loi"),
        *("fiscal*", "fiscalía*", "juez*", "jueces", "condena*", "impunidad", "investiga*"),
        *("policía", "penal", "ley", "полиц*", "следовател*", "расследован*", "приговор*"),
        *("уголовн*", "суд*", "прокурор*", "доказательств*"),
    ),
    "partnership": (
        *("cooperat*", "co-operat*", "partnership*", "coordinat*", "bilateral", "regional"),
        *("joint", "network*", "private sector", "share", "sharing", "exchange", "agreement*"),
        *("countries of origin", "flag states", "coopérat*", "partenariat*", "coordination"),
        *("conjoint*", "réseau*", "transfrontali*", "coopera*", "alianza*", "conjunt*", "red"),
        *("intercambio", "países de destino", "сотрудничеств*", "партнерств*", "координац*"),
        *("совместн*", "обмен*", "сеть", "взаимодейств*"),
    ),
}
# … and, in Arabic and Chinese, the pillars' words as the Plan's commitments use them
# (reference/commitments.csv), for the keywords of pillars.csv are in the four other languages.
_ARABIC_CHINESE_WORDS = {
    "prevention": (
        *("الوقاية", "منع الاتجار", "التوعية", "الفقر", "البطالة", "التمييز", "الهجرة الآمنة"),
        *("جمع البيانات", "خطة عمل وطنية", "مدونات السلوك"),
        *("预防", "宣传", "提高认识", "贫困", "失业", "歧视", "安全移民", "数据收集"),
        *("国家行动计划",),
    ),
    "protection": (
        *("حماية الضحايا", "مساعدة الضحايا", "الضحايا", "المأوى", "إعادة الإدماج", "التعويض"),
        *("الدعم النفسي",),
        *("保护受害者", "受害者", "被害人", "庇护所", "重返社会", "赔偿", "心理辅导"),
    ),
    "prosecution": (
        *("الملاحقة", "المحاكمة", "المحاكم", "الشرطة", "التحقيق", "إنفاذ القانون", "الإدانة"),
        *("المتاجرين", "غسل الأموال", "الفساد"),
        *("起诉", "审判", "法院", "警察", "侦查", "执法", "定罪", "刑罚", "贩运者", "洗钱"),
        *("腐败", "引渡"),
    ),
    "partnership": (
        *("الشراكة", "الشراكات", "التعاون", "التنسيق", "المجتمع المدني", "القطاع الخاص"),
        *("المساعدة التقنية", "بناء القدرات", "المقرر الخاص"),
        *("伙伴关系", "合作", "协调", "民间社会", "私营部门", "技术援助", "能力建设"),
        *("特别报告员",),
    ),
}


@cache
def document_cues() -> dict[str, re.Pattern[str]]:
    """The cues of each pillar besides its keywords: `_DOCUMENT_WORDS` and
    `_ARABIC_CHINESE_WORDS` (compiled once, when first needed)."""
    return {
        pillar: cues(*words, *_ARABIC_CHINESE_WORDS[pillar])
        for pillar, words in _DOCUMENT_WORDS.items()
    }


_MIN_CUES = 2  # below this many cues found, a suggestion is less sure


@dataclass(frozen=True)
class Suggestion:
    """What the rules suggest for one paragraph, each with a confidence in [0, 1]."""

    kind: str
    kind_confidence: float
    pillar: str
    pillar_confidence: float
    scope: str
    cues: dict[str, int] = field(default_factory=dict)  # the cues of each pillar found

    @property
    def confidence(self) -> float:
        """The paragraph's confidence: that of its least sure suggestion."""
        return round(min(self.kind_confidence, self.pillar_confidence), 2)


def _share(counts: dict[str, int], default: str) -> tuple[str, float]:
    total = sum(counts.values())
    if not total:
        return default, 0.2
    best = max(counts, key=lambda k: (counts[k], -list(counts).index(k)))
    share = counts[best] / total
    return best, round(share * min(1.0, (total + 1) / (_MIN_CUES + 1)), 2)


def suggest_kind(folded: str, stakeholder_type: str = "") -> tuple[str, float]:
    """The kind a folded paragraph's cue phrases point to, and how sure; with no cue, what the
    contributor most often reports (a Member State its achievements, others the gaps)."""
    counts = {kind: len(pattern.findall(folded)) for kind, pattern in kind_cues().items()}
    # A proposal's cue outweighs the gap it answers ("X remains weak; Y should …").
    counts["proposal"] *= 2
    default = "achievement" if stakeholder_type == "member_state" else "gap"
    kind, confidence = _share(counts, default)
    assert kind in KINDS
    return kind, confidence


_MEMO: dict[tuple[str, int], tuple[Reference, object]] = {}


def _memo(what: str, reference: Reference, make):
    """What `make` builds from a reference, built once per reference (references are not hashable)."""
    key = (what, id(reference))
    if key not in _MEMO or _MEMO[key][0] is not reference:
        if len(_MEMO) > 8:
            _MEMO.clear()
        _MEMO[key] = (reference, make(reference))
    return _MEMO[key][1]


def _classifier(reference: Reference) -> KeywordClassifier:
    return _memo("pillars", reference, lambda r: KeywordClassifier(r.pillars, "pillar"))


def pillar_cues(folded: str, reference: Reference, context: str = "") -> dict[str, int]:
    """How many cues of each pillar a folded paragraph holds: its keywords count twice, those of
    its heading once, the words documents use around them (`document_cues`) once."""
    classifier = _classifier(reference)
    counts = {
        pillar: len(pattern.findall(folded)) * 2 + len(pattern.findall(context))
        for pillar, pattern in classifier.patterns.items()
    }
    for pillar, pattern in document_cues().items():
        counts[pillar] = counts.get(pillar, 0) + len(pattern.findall(folded))
    return counts


def _countries(reference: Reference) -> tuple[re.Pattern[str], dict[str, str]]:
    return _memo("countries", reference, _country_pattern)


def _country_pattern(reference: Reference) -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for row in reference.member_states.itertuples():
        for name in [row.name, *str(row.aliases).split(";")]:
            key = fold(name).strip()
            if len(key) > 3:
                names.setdefault(key, row.iso3)
    return cues(*names), names


def suggest_scope(folded: str, reference: Reference, own_country: str) -> str:
    """The one Member State a paragraph names, when it names only one that is not the
    contributor's own; else '' (the contributor's country or global, as the checks decide)."""
    pattern, names = _countries(reference)
    found = {names.get(m.strip(), "") for m in pattern.findall(folded)} - {"", own_country}
    return found.pop() if len(found) == 1 else ""


def suggest(text: str, context: str, stakeholder_type: str, country: str, reference) -> Suggestion:
    folded = fold(text)
    kind, kind_confidence = suggest_kind(folded, stakeholder_type)
    counts = pillar_cues(folded, reference, fold(context))
    pillar, pillar_confidence = _share(counts, "") if any(counts.values()) else ("", 0.0)
    scope = suggest_scope(folded, reference, country)
    return Suggestion(kind, kind_confidence, pillar, pillar_confidence, scope, counts)


def suggest_documents(rows) -> None:
    """The row check that fills in, for the rows read from documents, the kind, pillar and
    scope the rules suggest (left as given when a row has them), and says so in the ledger."""
    f = rows.frame
    if "_origin" not in f.columns:
        rows.values["confidence"] = pd.Series(float("nan"), index=f.index)
        rows.values["pillar_cues"] = pd.Series(None, index=f.index, dtype=object)
        return
    document = f["_origin"].eq("document")
    confidence = pd.Series(float("nan"), index=f.index)
    found: dict = {}
    country = f["country"].map(lambda c: rows.reference.resolve_country(c) or "")
    messages = pd.Series("", index=f.index, dtype=object)
    for i in f.index[document]:
        s = suggest(f.at[i, "text"], f.at[i, "_context"], f.at[i, "stakeholder_type"],
                    country[i], rows.reference)  # fmt: skip
        f.at[i, "kind"] = f.at[i, "kind"] or s.kind
        if not f.at[i, "pillar"]:  # a pillar given stays; one suggested may be weighed again
            f.at[i, "pillar"], found[i] = s.pillar, s.cues
        f.at[i, "scope"] = f.at[i, "scope"] or s.scope
        confidence[i] = s.confidence
        messages[i] = (
            f"paragraph {f.at[i, 'row']}: suggested as {s.kind.replace('_', ' ')}"
            + (f", pillar {s.pillar}" if s.pillar else ", no pillar found")
            + (f", about {s.scope}" if s.scope else "")
            + f" (confidence {s.confidence:.2f}); confirm or correct it in triage"
        )
    rows.values["confidence"] = confidence
    # The cues found travel with the statement, to be weighed with a model's view (`learned`).
    rows.values["pillar_cues"] = pd.Series([found.get(i) for i in f.index], f.index, object)
    rows.add(document, "kind", messages, False)
