"""Free-text job title → ranked SSYK 2012 unit groups.

Index (built once, a few seconds):

* **Terms.** Every occupation name, job title (synonym), retired occupation name (JobTech 2019),
  SCB's English group name and the group's own Swedish name is a *term* of its unit group, kept
  as its content words (function words, ad filler and place names removed). Names written as
  alternatives ("Resesäljare/Reseförsäljare") give one term each, the part before a comma
  ("Sjuksköterska, grundutbildad" → "sjuksköterska") one more. A job title linked to occupation
  names in several groups is a term of each, weighted by the share of its links to the group.
* **Features.** scikit-learn's ``TfidfVectorizer`` over each term's character n-grams within
  word boundaries (``char_wb``) plus three word-level features per word: its Snowball Swedish
  stem, and for a compound the stem of its head (last part) and of its other parts
  ("hemtjänstpersonal" → head "personal", part "hemtjänst"). N-grams match inflected forms
  ("undersköterskor"), compounds that share a head ("lagerarbetare"/"terminalarbetare") and
  misspellings ("underskoterska").
* **Classifier.** A complement naive Bayes model (``ComplementNB``) trained on the terms, one
  class per unit group: it learns which n-grams and heads point to which group, so a title the
  index has never seen is still placed by its parts.
* **BM25** (``bm25s``) over one document per group: the stems of all its terms' words and their
  compound parts.

Query: the text is normalised (NFKC, casefold), split into segments at separators and at words
that start padding ("till", "hos", "i", ...); function words, ad filler ("sökes", "extrajobb")
and municipality names are dropped. Each *piece* (the whole cleaned text, each segment, each
word) is vectorised. Four signals per group, each in [0, 1]:

``nb``     the classifier's probability for the best piece, relative to the best group;
``knn``    the cosine similarity of the best piece to the group's three nearest terms
           (weights 1, ½, ¼, divided by 1.75), so a group with several close terms wins a tie;
``best``   the similarity to the group's single nearest term (an exact name gives 1.0);
``bm25``   BM25 of the stems (with compound parts, and for an unknown word the nearest known
           word by ``rapidfuzz``) relative to the best group.

The score is the weighted sum (``MapperSettings``), in [0, 1]. The weights come from a coarse
grid on one cross-validation fold of the job titles and the ad headlines (docs/performance.md);
no rule or word list targets a particular headline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import ComplementNB

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

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Suggestion:
    """One suggested SSYK unit group for a text; ``score`` in [0, 1], higher is better."""

    ssyk: str
    name: str
    score: float


@dataclass(frozen=True)
class MapperSettings:
    """Weights and parameters; the defaults are the ones measured in docs/performance.md."""

    ngram_range: tuple[int, int] = (2, 5)
    min_df: int = 2                     # n-grams seen in only one term are dropped
    word_features: bool = True
    nb_alpha: float = 0.1               # smoothing; 0.1 measured better than 1.0 (performance.md)
    nb_weight: float = 0.5
    knn_weight: float = 0.3
    best_weight: float = 0.1
    bm25_weight: float = 0.1
    knn_neighbours: int = 3
    word_piece_weight: float = 0.9      # a single word of a longer text counts a little less
    shared_title_floor: float = 0.8     # weight of a title link at share 0 (1.0 at share 1)
    comma_head_weight: float = 0.95     # "sjuksköterska" from "Sjuksköterska, grundutbildad"
    alias_weight: float = 0.9           # retired names, SCB's English names
    use_aliases: bool = True
    fuzzy_cutoff: float = 80.0          # rapidfuzz ratio for a misspelt word's nearest word
    bm25_k1: float = 1.2
    bm25_b: float = 0.75


_ALTERNATIVES = re.compile(r"\s*/\s*")
_GROUP_NAME_PARTS = re.compile(r",|\boch\b|\bm\.fl\.?|\bmfl\b")


class OccupationMapper:
    """Built once from a ``Taxonomy``; ``suggest`` only reads, so one instance can serve every
    thread of a process."""

    def __init__(self, taxonomy: Taxonomy, settings: MapperSettings | None = None) -> None:
        self.settings = s = settings or MapperSettings()
        self.codes: list[str] = [g.ssyk for g in taxonomy.groups]
        self.names: list[str] = [g.name for g in taxonomy.groups]
        if not self.codes:
            raise ValueError("the taxonomy has no occupation groups")
        index = {code: i for i, code in enumerate(self.codes)}
        protected = [n.name for n in taxonomy.names] + self.names
        protected += [t.title for t in taxonomy.titles]
        self.places = place_stop_words(taxonomy.places, protected)

        terms: dict[tuple[str, int], float] = {}

        def add(text: str, group: int, weight: float) -> None:
            found = content_words(text, self.places)
            if found:
                key = (" ".join(found), group)
                terms[key] = max(terms.get(key, 0.0), weight)

        def add_name(text: str, group: int, weight: float) -> None:
            for alternative in _ALTERNATIVES.split(text):
                add(alternative, group, weight)
                if "," in alternative:
                    add(alternative.split(",", 1)[0], group, weight * s.comma_head_weight)

        for i, group in enumerate(taxonomy.groups):
            add(group.name, i, 1.0)
            for part in _GROUP_NAME_PARTS.split(group.name.casefold()):
                add(part, i, 1.0)
        for name in taxonomy.names:
            add_name(name.name, index[name.ssyk], 1.0)
        links: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for title in taxonomy.titles:
            links[normalise(title.title)][index[title.ssyk]] += 1
        for title in taxonomy.titles:
            counts = links[normalise(title.title)]
            share = counts[index[title.ssyk]] / sum(counts.values())
            add_name(title.title, index[title.ssyk],
                     s.shared_title_floor + (1 - s.shared_title_floor) * share)
        if s.use_aliases:
            for alias in taxonomy.aliases:
                add_name(alias.text, index[alias.ssyk], s.alias_weight)

        ordered = sorted(terms.items(), key=lambda item: (item[0][1], item[0][0]))
        self.term_texts: list[str] = [text for (text, _g), _w in ordered]
        self._term_group = np.array([g for (_t, g), _w in ordered], dtype=np.int64)
        self._term_weight = np.array([w for _k, w in ordered], dtype=np.float32)
        # Terms are sorted by group: each group's terms are one slice, for maximum.reduceat.
        self._group_starts = np.searchsorted(self._term_group, np.arange(len(self.codes)))
        if len(np.unique(self._term_group)) != len(self.codes):
            raise ValueError("every occupation group needs at least one term")

        self.vocabulary: frozenset[str] = frozenset(
            w for text in self.term_texts for w in text.split())
        self._vocabulary_list = sorted(self.vocabulary)

        self._vectorizer = TfidfVectorizer(analyzer=self._analyzer(), sublinear_tf=True,
                                           min_df=s.min_df, dtype=np.float32)
        self._term_vectors = self._vectorizer.fit_transform(self.term_texts)
        self._term_vectors_t = self._term_vectors.T.tocsr()
        nb = ComplementNB(alpha=s.nb_alpha)
        nb.fit(self._term_vectors, self._term_group, sample_weight=self._term_weight)
        # The model is a (features x groups) weight matrix; kept as float32 and row-major so a
        # query's sparse vector multiplies it without a copy (sklearn's predict_proba copies it).
        self._nb_weights = np.ascontiguousarray(nb.feature_log_prob_.T, dtype=np.float32)
        self._nb_columns = np.asarray(nb.classes_, dtype=np.int64)

        documents: list[list[str]] = [[] for _ in self.codes]
        for text, group in zip(self.term_texts, self._term_group, strict=True):
            documents[group].extend(self._index_tokens(text.split()))
        self._bm25 = bm25s.BM25(k1=s.bm25_k1, b=s.bm25_b)
        self._bm25.index(documents, show_progress=False)
        self._bm25_vocabulary = frozenset(self._bm25.vocab_dict)

    # --- tokens ---------------------------------------------------------------------------

    def _analyzer(self) -> Callable[[str], list[str]]:
        char = TfidfVectorizer(analyzer="char_wb",
                               ngram_range=self.settings.ngram_range).build_analyzer()
        with_words = self.settings.word_features

        def analyse(text: str) -> list[str]:
            features: list[str] = list(char(text))
            if with_words:
                for word in text.split():
                    features.append("w:" + stem(word))
                    parts = split_compound(word, self.vocabulary)
                    if parts:
                        features.append("h:" + stem(parts[0]))
                        features.extend("m:" + stem(part) for part in parts[1:])
            return features

        return analyse

    def _index_tokens(self, tokens: Iterable[str]) -> list[str]:
        result: list[str] = []
        for word in tokens:
            result.append(stem(word))
            result.extend(stem(part) for part in split_compound(word, self.vocabulary))
        return result

    def _query_tokens(self, tokens: Iterable[str]) -> list[str]:
        result: list[str] = []
        for word in tokens:
            stemmed = stem(word)
            parts = split_compound(word, self.vocabulary)
            if stemmed in self._bm25_vocabulary or parts:
                result.append(stemmed)
                result.extend(stem(part) for part in parts)
                continue
            match = process.extractOne(word, self._vocabulary_list, scorer=fuzz.ratio,
                                       score_cutoff=self.settings.fuzzy_cutoff)
            if match is not None:
                result.append(stem(str(match[0])))
        return [t for t in result if t in self._bm25_vocabulary]

    def pieces(self, text: str) -> list[tuple[str, float]]:
        """The parts of a query compared with the terms, with their weights; the first is the
        whole cleaned text."""
        runs = segments(text, self.places)
        all_words = [w for run in runs for w in run]
        if not all_words:
            # Only filler or place words ("Vikarie", "Mark"): read them rather than nothing.
            all_words = [w for w in words(normalise(text)) if len(w) >= 2 and not w.isdigit()]
            runs = [all_words]
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

    def signals(self, text: str) -> dict[str, FloatArray] | None:
        """The four signals per group (``self.codes`` order), or None for a text without
        words or with nothing the index knows (not one character n-gram in common)."""
        pieces = self.pieces(text)
        if not pieces:
            return None
        n = len(self.codes)
        vectors = self._vectorizer.transform([p for p, _w in pieces])
        if vectors.nnz == 0:
            return None  # nothing in the index looks like it (another script, say)
        piece_weight = np.array([w for _p, w in pieces], dtype=np.float32)

        similarity = (vectors @ self._term_vectors_t).toarray().astype(np.float32)
        per_term = (similarity * piece_weight[:, None]).max(axis=0) * self._term_weight
        best = np.maximum.reduceat(per_term, self._group_starts).astype(np.float32)
        knn = np.zeros(n, dtype=np.float32)
        taken = np.zeros(n, dtype=np.int64)
        k = self.settings.knn_neighbours
        candidates = min(len(per_term) - 1, 40 * k)
        top = np.argpartition(-per_term, candidates)[:candidates + 1]
        decay = sum(0.5 ** i for i in range(k))
        for t in top[np.argsort(-per_term[top], kind="stable")]:
            group = self._term_group[t]
            if taken[group] < k:
                knn[group] += per_term[t] * 0.5 ** taken[group] / decay
                taken[group] += 1

        probability = np.zeros(n, dtype=np.float32)
        joint = np.asarray(vectors @ self._nb_weights, dtype=np.float64)
        joint = np.exp(joint - joint.max(axis=1, keepdims=True))
        raw = joint / joint.sum(axis=1, keepdims=True) * piece_weight[:, None]
        probability[self._nb_columns] = raw.max(axis=0)
        nb = probability / probability.max() if probability.max() > 0 else probability

        bm25 = np.zeros(n, dtype=np.float32)
        tokens = self._query_tokens(pieces[0][0].split())
        if tokens:
            scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
            if scores.max() > 0:
                bm25 = scores / scores.max()
        return {"nb": nb.astype(np.float32), "knn": knn, "best": best, "bm25": bm25}

    def scores(self, text: str) -> FloatArray:
        """One score per group in [0, 1] (``self.codes`` order); all zero for no words."""
        found = self.signals(text)
        if found is None:
            return np.zeros(len(self.codes), dtype=np.float32)
        s = self.settings
        total = (s.nb_weight * found["nb"] + s.knn_weight * found["knn"]
                 + s.best_weight * found["best"] + s.bm25_weight * found["bm25"])
        weight = s.nb_weight + s.knn_weight + s.best_weight + s.bm25_weight
        result: FloatArray = np.clip(total / weight, 0.0, 1.0).astype(np.float32)
        return result

    def suggest(self, text: str, top: int = 5) -> list[Suggestion]:
        """The ``top`` best groups for ``text``, best first (ties by code); [] only when the
        text holds no word at all (blank, punctuation, numbers) or nothing the index knows."""
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
        """Sizes of the index, for the command line and the benchmark."""
        return {"groups": len(self.codes), "terms": len(self.term_texts),
                "features": len(self._vectorizer.vocabulary_),
                "bm25_tokens": len(self._bm25_vocabulary)}
