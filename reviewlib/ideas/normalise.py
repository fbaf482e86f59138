"""Text normalisation for the pool of ideas: tokens, stems, folded accents, domain synonyms.

A statement becomes a list of tokens: lower-cased words, with stop words and proposal
boilerplate ("we recommend that States should ...") removed, negations written as ``not``,
each word stemmed with the Snowball stemmer of the statement's language, accents folded,
then every phrase listed in the thesaurus (``inputs/reference/synonyms.csv``) replaced by
its canonical token. Thesaurus terms go through the same steps in their own language, so
"labour inspectorates", "inspección laboral" and "инспекции труда" all become
``labour_inspection``. Languages without a stemmer are tokenised and folded, not stemmed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # (imported where a matrix is made: a pool read from the cache needs none)
    from scipy import sparse

from reviewlib.errors import InputError
from reviewlib.text import fold

__all__ = ["Thesaurus", "normalise", "normalise_all", "tokens", "vectorise"]

_STEMMERS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ru": "russian",
    "pt": "portuguese",
    "ar": "arabic",
    "de": "german",
    "it": "italian",
}

# Function words and the boilerplate every proposal carries; they say nothing about the idea.
_STOP = {
    "en": """a about above across after again against all also am an and any are as at be
        because been before being between both but by can could did do does doing during each
        either every for from further had has have having he her here hers herself him his how
        i if in into is it its itself just may me might more most my of off on once only or
        other our ours ourselves out over own per same she so some such than that the their
        theirs them themselves then there these they this those through thus to too under
        until up upon us very via was we were what when where whether which while who whom
        whose why will with within would you your etc including include includes particular
        particularly especially notably well order way ways already still
        propose proposes proposed proposal recommend recommends recommended recommendation
        urge urges call calls called encourage encourages invite invites suggest suggests
        should must need needs needed shall state states member government governments country
        countries national level relevant appropriate effective effectively ensure ensures
        ensuring measure measures take taking""",
    "fr": """a à afin ai aient ainsi alors au aucune aussi autre autres aux avec avoir ce ceci
        cela celle celles celui ces cet cette chaque comme d dans de des doit doivent donc du
        elle elles en entre est et été être eux il ils je l la le les leur leurs lui m ma mais
        me même mes moi mon nos notre nous on ont ou où par parmi pour qu que quel quelle
        quelles quels qui s sa sans se ses si soient soit son sont sur ta te tes toi ton tous
        tout toute toutes tu un une vos votre vous y notamment ainsi sous lors
        proposons propose proposer recommandons recommande recommander recommandation
        demandons appelons encourageons invitons devraient devrait doit doivent faut
        état états membre membres gouvernement gouvernements pays national nationale
        nationaux nationales veiller mesure mesures prendre""",
    "es": """a al algo algunas algunos ante antes como con contra cual cuales cuando de del
        desde donde durante e el ella ellas ellos en entre era es esa esas ese eso esos esta
        estas este esto estos fue ha han hay la las le les lo los más me mi mis mucho muy nos
        nuestra nuestro o os otra otras otro otros para pero por porque que quien quienes se
        sea sean ser si sin sobre su sus también tanto te tu tus un una uno unos y ya bajo
        proponemos propone proponer recomendamos recomienda recomendar recomendación
        instamos pedimos alentamos invitamos deben debe deberían debería debemos
        estado estados miembro miembros gobierno gobiernos país países nacional nacionales
        garantizar velar medida medidas adoptar""",
    "ru": """а без более бы был была были было быть в вам вас весь во вот все всего всех вы где
        да для до его ее её если есть еще ещё же за здесь и из или им их к как ко когда кто ли
        либо мы на над наш не нее неё нет ни них но ну о об однако он она они оно от по под
        при с со так также такие такой там те тем то того тоже той только том ты у уже хотя
        чего чей чем что чтобы чье эта эти это этого этой этом этот я
        предлагаем предлагает предложить рекомендуем рекомендует рекомендовать призываем
        призывает следует должны должен должна необходимо нужно государства государство
        государствам государствах правительство правительства страны стран странах
        национальный национальные национальных обеспечить обеспечение меры мер принять""",
}
_NEGATION = {
    "en": {"not", "no", "non", "never", "nor", "without"},
    "fr": {"ne", "pas", "non", "jamais", "aucun", "aucune", "ni", "sans"},
    "es": {"no", "nunca", "ni", "sin", "ningún", "ninguna", "ninguno"},
    "ru": {"не", "нет", "ни", "без", "никогда"},
}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _language(lang: object) -> str:
    code = str(lang or "").strip().lower()[:2]
    return code if code.isalpha() else ""


@lru_cache(maxsize=32)
def _stop(lang: str) -> frozenset[str]:
    words = _STOP.get(lang, "").split() + _STOP["en"].split()
    return frozenset(fold(w) for w in words)


@lru_cache(maxsize=32)
def _negations(lang: str) -> frozenset[str]:
    return frozenset(fold(w) for w in _NEGATION.get(lang, set()) | _NEGATION["en"])


@lru_cache(maxsize=32)
def _stemmer(lang: str):
    # imported when first needed: it loads the stemmers of every language it has, which a
    # build whose ideas are pooled already (read from the disk cache) never uses
    import snowballstemmer

    name = _STEMMERS.get(lang)
    return snowballstemmer.stemmer(name) if name else None


# (language, word) -> its folded stem: the stemmer's work (most of normalising a statement) is
# done once per word; the pool saves what it learned to the disk cache and a later process
# starts from it (`known_stems`, `learn_stems`)
_STEMS: dict[tuple[str, str], str] = {}
_MOST_STEMS = 200_000


def _stem(lang: str, word: str) -> str:
    found = _STEMS.get((lang, word))
    if found is None:
        if len(_STEMS) >= _MOST_STEMS:
            _STEMS.clear()
        stemmer = _stemmer(lang)
        found = _STEMS[lang, word] = fold(stemmer.stemWord(word) if stemmer else word)
    return found


def known_stems() -> dict[tuple[str, str], str]:
    """Every word stemmed in this process so far, with its stem (a copy)."""
    return dict(_STEMS)


def stem_count() -> int:
    """How many words have their stem known here."""
    return len(_STEMS)


def learn_stems(saved: object) -> None:
    """Take stems another process worked out (`known_stems`'s dict) as if stemmed here; a
    value of any other shape is passed over."""
    if isinstance(saved, dict) and len(_STEMS) + len(saved) <= _MOST_STEMS:
        _STEMS.update(
            (k, v)
            for k, v in saved.items()
            if isinstance(k, tuple) and len(k) == 2 and isinstance(v, str)
        )


def tokens(text: str, lang: str = "en", *, stem: bool = True) -> list[str]:
    """Content tokens of ``text``: no stop words, negations as ``not``, stemmed, folded."""
    lang = _language(lang)
    stop, negations = _stop(lang), _negations(lang)
    out: list[str] = []
    for word in _WORD.findall(str(text).lower()):
        folded = fold(word)
        if folded in negations:
            if not out or out[-1] != "not":
                out.append("not")
            continue
        if folded in stop or (len(folded) < 2 and folded.isascii()) or folded.isdigit():
            continue
        out.append(_stem(lang, word) if stem else folded)
    return out


@dataclass(frozen=True)
class Thesaurus:
    """Phrases (as token sequences) that stand for one canonical token, per language.

    Built from a table with columns ``term, canonical, language`` (``theme`` and ``source``
    are for the people who keep it). A language of ``*`` or blank applies to every statement.
    """

    stem: bool = True
    phrases: dict[str, dict[str, list[tuple[tuple[str, ...], str]]]] = field(default_factory=dict)
    conflicts: tuple[tuple[str, str, str, str], ...] = ()

    @classmethod
    def from_frame(cls, table: pd.DataFrame | None, *, stem: bool = True) -> Thesaurus:
        if table is None or len(table) == 0:
            return cls(stem=stem)
        missing = {"term", "canonical"} - set(table.columns)
        if missing:
            raise InputError(f"synonyms.csv lacks the column(s) {', '.join(sorted(missing))}")
        langs = (
            table["language"] if "language" in table.columns else pd.Series("*", index=table.index)
        )
        seen: dict[tuple[str, tuple[str, ...]], str] = {}
        conflicts: list[tuple[str, str, str, str]] = []
        phrases: dict[str, dict[str, list[tuple[tuple[str, ...], str]]]] = {}
        rows = sorted(
            zip(
                langs.fillna("*").astype(str),
                table["term"].fillna("").astype(str),
                table["canonical"].fillna("").astype(str),
                strict=True,
            )
        )
        for raw_lang, term, canonical in rows:
            lang = _language(raw_lang) or "*"
            canonical = canonical.strip().lower()
            seq = tuple(tokens(term, "en" if lang == "*" else lang, stem=stem))
            if not seq or not canonical:
                continue
            if (lang, seq) in seen:
                if seen[(lang, seq)] != canonical:
                    conflicts.append((lang, term, seen[(lang, seq)], canonical))
                continue
            seen[(lang, seq)] = canonical
            phrases.setdefault(lang, {}).setdefault(seq[0], []).append((seq, canonical))
        for by_first in phrases.values():
            for candidates in by_first.values():
                candidates.sort(key=lambda item: (-len(item[0]), item[0]))
        return cls(stem=stem, phrases=phrases, conflicts=tuple(conflicts))

    def canonicalise(self, words: Sequence[str], lang: str) -> list[str]:
        """Replace the longest listed phrase at each position by its canonical token."""
        tables = [t for t in (self.phrases.get(_language(lang)), self.phrases.get("*")) if t]
        if not tables:
            return list(words)
        out: list[str] = []
        i = 0
        while i < len(words):
            best: tuple[int, str] | None = None
            for table in tables:
                for seq, canonical in table.get(words[i], ()):
                    if tuple(words[i : i + len(seq)]) == seq:
                        if best is None or len(seq) > best[0]:
                            best = (len(seq), canonical)
                        break
            if best is None:
                out.append(words[i])
                i += 1
            else:
                out.append(best[1])
                i += best[0]
        return out


def normalise(
    text: str, lang: str, *, stem: bool = True, thesaurus: Thesaurus | None = None
) -> str:
    """The statement as a space-separated string of normalised tokens."""
    words = tokens(text, lang, stem=stem)
    if thesaurus is not None:
        words = thesaurus.canonicalise(words, lang)
    return " ".join(words)


def normalise_all(
    texts: Iterable[str],
    langs: Iterable[str],
    *,
    stem: bool = True,
    thesaurus: Thesaurus | None = None,
) -> list[str]:
    return [
        normalise(t, lang, stem=stem, thesaurus=thesaurus)
        for t, lang in zip(texts, langs, strict=True)
    ]


def _tfidf(docs: Sequence[str], **options) -> sparse.csr_matrix:
    # imported where used: a build whose pool is cached never loads scikit-learn
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(lowercase=False, sublinear_tf=True, dtype=np.float32, **options)
    try:
        return vectoriser.fit_transform(docs).tocsr()
    except ValueError:  # every document empty: no vocabulary at all
        return sparse.csr_matrix((len(docs), 0), dtype=np.float32)


def vectorise(docs: Sequence[str], *, word_weight: float = 0.5) -> sparse.csr_matrix:
    """Unit row vectors for normalised documents: TF-IDF of words (1-2 grams) and of characters
    (char_wb 3-5 grams) side by side, so that cosine similarity is a plain dot product and is
    ``word_weight`` x word cosine + (1 - word_weight) x character cosine."""
    from scipy import sparse
    from sklearn.preprocessing import normalize

    docs = list(docs)
    words = _tfidf(docs, tokenizer=str.split, token_pattern=None, ngram_range=(1, 2))
    chars = _tfidf(docs, analyzer="char_wb", ngram_range=(3, 5))
    both = sparse.hstack([np.sqrt(word_weight) * words, np.sqrt(1 - word_weight) * chars])
    return normalize(both.tocsr()).astype(np.float32)
