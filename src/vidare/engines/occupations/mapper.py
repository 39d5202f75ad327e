"""Free-text job title → ranked SSYK 2012 unit groups.

Index (one build, about a second):

* **Terms.** Every occupation name, job title (synonym) and the group's own name is a term of
  its unit group, as its content words (function words, ad filler and place names removed).
  Names written as alternatives ("Resesäljare/Reseförsäljare") give one term each, and the
  part before a comma ("Sjuksköterska, grundutbildad" → "sjuksköterska") one more. A job title
  linked to occupation names in several groups is a term of each, weighted by the share of its
  links that point to the group.
* **Character n-grams.** scikit-learn's ``TfidfVectorizer(analyzer="char_wb")`` over the terms.
  N-grams inside word boundaries match inflected forms ("undersköterskor"), compounds that share
  a head ("lagerarbetare" / "terminalarbetare") and misspellings ("underskoterska").
* **BM25 on stems.** ``bm25s`` over one document per group: the Snowball Swedish stems of all its
  terms' words, plus the known words each compound is made of ("hemtjänstpersonal" →
  "hemtjänst", "personal").

Query: the text is normalised (NFKC, casefold), split into segments at separators and at words
that start padding ("till", "hos", "i", ...); function words, ad filler ("sökes", "extrajobb")
and municipality names are removed. Each piece (the whole cleaned text, every segment, every
word) is compared with every term by cosine similarity of the n-gram vectors; a group's
character score is its best term's similarity to the best piece. The BM25 score (stems, compound
parts, and for an unknown word its nearest known word by ``rapidfuzz``) is scaled to the best
group's. The final score is a weighted sum of the two, in [0, 1].
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer

from .data import Taxonomy
from .text import (
    content_words,
    normalise,
    place_stop_words,
    segments,
    split_compound,
    stem,
    words,
)


@dataclass(frozen=True)
class Suggestion:
    """One suggested SSYK unit group for a text; ``score`` in [0, 1], higher is better."""

    ssyk: str
    name: str
    score: float


@dataclass(frozen=True)
class MapperSettings:
    """The weights of the scoring; the defaults are the ones measured in docs/performance.md."""

    ngram_range: tuple[int, int] = (2, 5)
    char_weight: float = 0.6            # final = char_weight * char + (1 - char_weight) * bm25
    word_piece_weight: float = 0.9      # a single word of a longer text counts a little less
    shared_title_floor: float = 0.8     # weight of a title link at share 0 (1.0 at share 1)
    comma_head_weight: float = 0.95     # "sjuksköterska" from "Sjuksköterska, grundutbildad"
    fuzzy_cutoff: float = 80.0          # rapidfuzz ratio for a misspelt word's nearest word
    bm25_k1: float = 1.2
    bm25_b: float = 0.75


_ALTERNATIVES = re.compile(r"\s*/\s*")
_GROUP_NAME_PARTS = re.compile(r",|\boch\b|\bm\.fl\.?|\bmfl\b")


@dataclass(frozen=True)
class _Term:
    text: str
    group: int
    weight: float


class OccupationMapper:
    """Built once from a ``Taxonomy``; ``suggest`` is thread-safe (read-only after build)."""

    def __init__(self, taxonomy: Taxonomy, settings: MapperSettings | None = None) -> None:
        self.settings = settings or MapperSettings()
        s = self.settings
        self.codes: list[str] = [g.ssyk for g in taxonomy.groups]
        self.names: list[str] = [g.name for g in taxonomy.groups]
        index = {code: i for i, code in enumerate(self.codes)}
        protected = [n.name for n in taxonomy.names] + [g.name for g in taxonomy.groups]
        protected += [t.title for t in taxonomy.titles]
        self.places = place_stop_words(taxonomy.places, protected)

        terms: dict[tuple[str, int], float] = {}

        def add(text: str, group: int, weight: float) -> None:
            found = content_words(text, self.places)
            if not found:
                return
            key = (" ".join(found), group)
            terms[key] = max(terms.get(key, 0.0), weight)

        for i, group in enumerate(taxonomy.groups):
            add(group.name, i, 1.0)
            for part in _GROUP_NAME_PARTS.split(group.name.casefold()):
                add(part, i, 1.0)
        for name in taxonomy.names:
            i = index[name.ssyk]
            for alternative in _ALTERNATIVES.split(name.name):
                add(alternative, i, 1.0)
                if "," in alternative:
                    add(alternative.split(",", 1)[0], i, s.comma_head_weight)
        links: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for title in taxonomy.titles:
            links[normalise(title.title)][index[title.ssyk]] += 1
        for title in taxonomy.titles:
            counts = links[normalise(title.title)]
            share = counts[index[title.ssyk]] / sum(counts.values())
            weight = s.shared_title_floor + (1 - s.shared_title_floor) * share
            for alternative in _ALTERNATIVES.split(title.title):
                add(alternative, index[title.ssyk], weight)

        ordered = sorted(terms.items(), key=lambda item: (item[0][1], item[0][0]))
        self._terms = [_Term(text, group, weight) for (text, group), weight in ordered]
        self._term_group = np.array([t.group for t in self._terms], dtype=np.int64)
        self._term_weight = np.array([t.weight for t in self._terms], dtype=np.float32)
        # Terms are sorted by group: each group's terms are one slice, for maximum.reduceat.
        self._group_starts = np.searchsorted(self._term_group, np.arange(len(self.codes)))

        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=s.ngram_range,
                                           sublinear_tf=True, dtype=np.float32)
        self._term_vectors = self._vectorizer.fit_transform([t.text for t in self._terms])

        # Words and their compound parts; BM25 documents per group.
        self.vocabulary: frozenset[str] = frozenset(
            w for t in self._terms for w in t.text.split())
        self._vocabulary_list = sorted(self.vocabulary)
        documents: list[list[str]] = [[] for _ in self.codes]
        for term in self._terms:
            documents[term.group].extend(self._index_tokens(term.text.split()))
        self._bm25 = bm25s.BM25(k1=s.bm25_k1, b=s.bm25_b)
        self._bm25.index(documents, show_progress=False)
        self._bm25_vocabulary = frozenset(self._bm25.vocab_dict)

    # --- tokens ---------------------------------------------------------------------------

    def _parts(self, word: str) -> list[str]:
        return split_compound(word, self.vocabulary)

    def _index_tokens(self, words: Iterable[str]) -> list[str]:
        tokens: list[str] = []
        for word in words:
            tokens.append(stem(word))
            tokens.extend(stem(part) for part in self._parts(word))
        return tokens

    def _query_tokens(self, words: Iterable[str]) -> list[str]:
        tokens: list[str] = []
        for word in words:
            stemmed = stem(word)
            parts = self._parts(word)
            if stemmed in self._bm25_vocabulary or parts:
                tokens.append(stemmed)
                tokens.extend(stem(part) for part in parts)
                continue
            match = process.extractOne(word, self._vocabulary_list, scorer=fuzz.ratio,
                                       score_cutoff=self.settings.fuzzy_cutoff)
            if match is not None:
                tokens.append(stem(str(match[0])))
        return [t for t in tokens if t in self._bm25_vocabulary]

    def pieces(self, text: str) -> list[tuple[str, float]]:
        """The parts of a query compared with the terms, with their weights."""
        runs = segments(text, self.places)
        all_words = [w for run in runs for w in run]
        if not all_words:
            # Only filler or place words ("Vikarie", "Mark"): read them rather than nothing.
            runs = [[w for w in words(normalise(text)) if len(w) >= 2 and not w.isdigit()]]
            all_words = runs[0]
            if not all_words:
                return []
        found: dict[str, float] = {" ".join(all_words): 1.0}
        for run in runs:
            found.setdefault(" ".join(run), 1.0)
        if len(all_words) > 1:
            for word in all_words:
                if len(word) >= 3:
                    found.setdefault(word, self.settings.word_piece_weight)
        return list(found.items())

    # --- scoring --------------------------------------------------------------------------

    def scores(self, text: str) -> npt.NDArray[np.float32]:
        """One score per group (in ``self.codes`` order); all zero when nothing is left."""
        pieces = self.pieces(text)
        result = np.zeros(len(self.codes), dtype=np.float32)
        if not pieces:
            return result
        vectors = self._vectorizer.transform([p for p, _w in pieces])
        piece_weight = np.array([w for _p, w in pieces], dtype=np.float32)
        similarity = (vectors @ self._term_vectors.T).toarray().astype(np.float32)
        best_per_term = (similarity * piece_weight[:, None]).max(axis=0) * self._term_weight
        char = np.maximum.reduceat(best_per_term, self._group_starts)

        tokens = self._query_tokens(pieces[0][0].split())
        bm25 = np.zeros_like(result)
        if tokens:
            raw = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
            top = float(raw.max())
            if top > 0:
                bm25 = raw / top
        w = self.settings.char_weight
        return np.asarray(w * char + (1 - w) * bm25, dtype=np.float32)

    def suggest(self, text: str, top: int = 5) -> list[Suggestion]:
        """The ``top`` best groups for ``text``, best first; [] only when the text holds no
        word that could name an occupation (blank, only numbers, only place names)."""
        if top < 1:
            raise ValueError("top must be at least 1")
        scores = self.scores(text)
        if not scores.any():
            return []
        order = np.lexsort((np.arange(len(scores)), -scores))[:top]
        return [Suggestion(self.codes[i], self.names[i], round(float(scores[i]), 4))
                for i in order if scores[i] > 0]

    def suggest_many(self, texts: Sequence[str], top: int = 5) -> list[list[Suggestion]]:
        return [self.suggest(text, top) for text in texts]

    def describe(self) -> dict[str, Any]:
        return {"groups": len(self.codes), "terms": len(self._terms),
                "ngram_features": len(self._vectorizer.vocabulary_),
                "bm25_tokens": len(self._bm25_vocabulary)}
