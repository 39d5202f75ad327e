"""`MatchingIndex`: the same scores as `explain`, for a whole pool at once.

Encoding. Every candidate becomes a sparse row of small integer features, every vacancy a
weight vector, and score = features · weights + a per-vacancy constant:

  EXP[o]  10 × experience level in occupation o     weight 4 (own occupation) or strength
  DES[o]  10 if the person wants o                  weight 3 (own) or strength (related)
  FLD[f]  10 if interested in field f               weight 2
  SKL[k]  10 if the person has skill k              weight 2 × rarity (required) or rarity
  ADA[a]  1 if the person needs adaptation a        weight 1 if the employer offers it
  LCK[l]  1 if the person lacks licence class l     −P for every required class
  SWL[r]  1 if Swedish rank < r (thermometer)       −P on r = the vacancy's minimum
  CAP[e]  1 if work capacity < e (thermometer)      −P on e = extent (1 if adaptable)
  AVL[t]  1 if available only after week t          −P on t = the start week
  commute: ANY (no limit, or home unknown), LC[county], KM[municipality], KC[county] are
  the ways a person can pass; the vacancy puts −P in the constant and +P on the ways that
  reach its place, so the sum is 0 when the person passes and −P otherwise.

P is larger than any soft score the vacancy can give, so a pair failing any hard filter
sums below 0, and an eligible pair sums to exactly its soft score. Points for relevance are
multiples of 10 and adaptation points at most 9 (scoring.py), so with threshold 10 (0 for
`open_to_all`, none for a vacancy without SSYK) "sum ≥ threshold" ⇔ `explain(...).eligible`.
All features and weights are integers and the sum of |feature × weight| of every vacancy is
checked to stay below 2**24, so float32 arithmetic is exact in any summation order and the
index agrees with `explain` bit for bit.

Vocabularies are built from the data (only occupations, skills, fields, places, weeks and
thresholds that occur on both sides), so the feature count stays small. Candidates are kept
as sparse CSC (a single vacancy touches only its nonzero feature columns); all pairs are
computed block by block as dense float32 matrix products on the columns the block uses.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .profiles import (
    CandidateProfile,
    Explanation,
    Ranked,
    VacancyProfile,
    county_of,
    normalise_labels,
)
from .scoring import (
    ADAPTATION_CAP,
    DESIRED_FACTOR,
    EXCLUSION_CODES,
    INTEREST_FIELD_FACTOR,
    MERIT_SKILL_FACTOR,
    RELEVANCE_UNIT,
    REQUIRED_SKILL_FACTOR,
    SAME_EXPERIENCE_FACTOR,
    ScoringContext,
    effective_day,
    experience_level,
    explain,
    strength_of,
    week_number,
)

EXACT_LIMIT = 1 << 24          # float32 represents every integer up to here exactly
BLOCK_VACANCIES = 256          # vacancies per dense block in top_candidates_all
SAMPLE_PER_TOP = 64            # sample size (× top) for the safe per-row cut
HISTOGRAM_LIMIT = 1 << 24      # bins (rows × score span) for the exact per-row cut

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]
PENALTY_CODES = ("driving_licence", "swedish_level", "extent", "start", "commute")


@dataclass
class _Terms:
    """One vacancy's weights, split by purpose (penalties in units of P)."""

    soft: dict[int, int] = field(default_factory=dict)
    adaptation: list[int] = field(default_factory=list)
    penalties: dict[str, tuple[dict[int, int], int]] = field(default_factory=dict)
    threshold: float = math.inf
    p: int = 1


@dataclass
class AllPairsStats:
    """Where the time of the last `top_candidates_all` went (for the benchmark)."""

    matmul_seconds: float = 0.0
    matmul_flops: float = 0.0
    select_seconds: float = 0.0
    total_seconds: float = 0.0
    blocks: int = 0
    mean_block_features: float = 0.0


class _Columns:
    def __init__(self) -> None:
        self.index: dict[tuple[str, Hashable], int] = {}

    def add(self, family: str, label: Hashable) -> int:
        return self.index.setdefault((family, label), len(self.index))

    def get(self, family: str, label: Hashable) -> int | None:
        return self.index.get((family, label))

    def family(self, name: str) -> list[tuple[Hashable, int]]:
        return [(label, col) for (fam, label), col in self.index.items() if fam == name]

    def __len__(self) -> int:
        return len(self.index)


def _sorted_unique(items: Sequence[CandidateProfile] | Sequence[VacancyProfile],
                   what: str) -> list[int]:
    keys = [item.key for item in items]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    for a, b in itertools.pairwise(order):
        if keys[a] == keys[b]:
            raise ValueError(f"duplicate {what} key {keys[a]!r}")
    return order


class MatchingIndex:
    """Candidates × vacancies, scored as `explain` scores them. Build once, query often."""

    def __init__(self, candidates: list[CandidateProfile], vacancies: list[VacancyProfile],
                 related: Mapping[str, Mapping[str, int]], today: date) -> None:
        self.candidates = candidates
        self.vacancies = vacancies
        self.related = related
        self.today = today
        self.context = ScoringContext.from_candidates(candidates)
        self.candidate_keys: IntArray = np.array([c.key for c in candidates], dtype=np.int64)
        self.vacancy_keys: IntArray = np.array([v.key for v in vacancies], dtype=np.int64)
        self._candidate_pos = {c.key: i for i, c in enumerate(candidates)}
        self._vacancy_pos = {v.key: i for i, v in enumerate(vacancies)}
        self.last_all_pairs = AllPairsStats()
        self._encode()

    @classmethod
    def build(cls, candidates: Sequence[CandidateProfile], vacancies: Sequence[VacancyProfile],
              related: Mapping[str, Mapping[str, int]], today: date) -> MatchingIndex:
        c_order = _sorted_unique(candidates, "candidate")
        v_order = _sorted_unique(vacancies, "vacancy")
        return cls([candidates[i] for i in c_order], [vacancies[i] for i in v_order],
                   related, today)

    # ----------------------------------------------------------------- encoding
    def _encode(self) -> None:
        cands, vacs, today = self.candidates, self.vacancies, self.today
        n, m = len(cands), len(vacs)
        cols = _Columns()
        # Vocabularies from the data: only what both sides can have in common.
        wanted_occupations: set[str] = set()
        vac_fields: set[str] = set()
        vac_skills: set[str] = set()
        offered: set[str] = set()
        v_required: list[frozenset[str]] = []
        v_merit: list[frozenset[str]] = []
        for v in vacs:
            if v.ssyk is not None:
                wanted_occupations.add(v.ssyk)
                wanted_occupations.update(self.related.get(v.ssyk, {}))
            if v.occupation_field is not None:
                vac_fields.add(v.occupation_field)
            required = normalise_labels(v.required_skills)
            v_required.append(required)
            v_merit.append(normalise_labels(v.merit_skills) - required)
            vac_skills |= required | v_merit[-1]
            offered |= v.adaptations_offered
        c_skills = [normalise_labels(c.skills) for c in cands]
        for c, skills in zip(cands, c_skills, strict=True):
            for code in c.experience:
                if code in wanted_occupations:
                    cols.add("exp", code)
            for code in c.desired_occupations:
                if code in wanted_occupations:
                    cols.add("des", code)
            for name in c.interest_fields:
                if name in vac_fields:
                    cols.add("fld", name)
            for skill in skills:
                if skill in vac_skills:
                    cols.add("skl", skill)
        needs = {a for c in cands for a in c.adaptation_needs} & offered
        self._adapt_linear = len(needs) <= ADAPTATION_CAP
        adapt_cols = {a: i for i, a in enumerate(sorted(needs))}
        if self._adapt_linear:
            adapt_cols = {a: cols.add("ada", a) for a in sorted(needs)}
        start_weeks = [week_number(effective_day(v.start, today)) for v in vacs]
        for v, week in zip(vacs, start_weeks, strict=True):
            for licence in sorted(v.driving_licences):
                cols.add("lck", licence)
            if v.min_swedish_rank > 0:
                cols.add("swl", v.min_swedish_rank)
            cols.add("cap", 1 if v.extent_adaptable else v.extent_percent)
            cols.add("avl", week)
            place_county = county_of(v.municipality, v.county)
            if place_county is not None:
                cols.add("cm_any", "")
                cols.add("cm_lc", place_county)
                if v.municipality:
                    cols.add("cm_km", v.municipality)
                else:
                    cols.add("cm_kc", place_county)
        n_features = len(cols)

        # Candidate features (COO triplets).
        rows: list[int] = []
        fcols: list[int] = []
        vals: list[float] = []
        a_rows: list[int] = []
        a_cols: list[int] = []

        def put(i: int, col: int | None, value: float) -> None:
            if col is not None:
                rows.append(i)
                fcols.append(col)
                vals.append(value)

        unit = RELEVANCE_UNIT
        for i, (c, skills) in enumerate(zip(cands, c_skills, strict=True)):
            for code, years in c.experience.items():
                put(i, cols.get("exp", code), unit * experience_level(years))
            for code in c.desired_occupations:
                put(i, cols.get("des", code), unit)
            for name in c.interest_fields:
                put(i, cols.get("fld", name), unit)
            for skill in skills:
                put(i, cols.get("skl", skill), unit)
            for need in c.adaptation_needs:
                if need in adapt_cols:
                    if self._adapt_linear:
                        put(i, adapt_cols[need], 1)
                    else:
                        a_rows.append(i)
                        a_cols.append(adapt_cols[need])
            home_county = county_of(c.home_municipality, c.home_county)
            if c.commute == "obegransat" or home_county is None:
                put(i, cols.get("cm_any", ""), 1)
            elif c.commute == "kommun" and c.home_municipality:
                put(i, cols.get("cm_km", c.home_municipality), 1)
                put(i, cols.get("cm_kc", home_county), 1)
            else:
                put(i, cols.get("cm_lc", home_county), 1)
        parts_r: list[IntArray] = [np.array(rows, dtype=np.int64)]
        parts_c: list[IntArray] = [np.array(fcols, dtype=np.int64)]
        parts_v: list[FloatArray] = [np.array(vals, dtype=np.float32)]

        def thermometer(family: str, below: IntArray) -> None:
            for label, col in cols.family(family):
                assert isinstance(label, int)
                hit = np.flatnonzero(below < label)
                parts_r.append(hit.astype(np.int64))
                parts_c.append(np.full(hit.size, col, dtype=np.int64))
                parts_v.append(np.ones(hit.size, dtype=np.float32))

        thermometer("swl", np.array([c.swedish_rank for c in cands], dtype=np.int64))
        thermometer("cap", np.array([c.work_capacity_percent for c in cands], dtype=np.int64))
        # "available only after week t" ⇔ -(available week) < -t
        avail = np.array([week_number(effective_day(c.available_from, today))
                          for c in cands], dtype=np.int64)
        for label, col in cols.family("avl"):
            assert isinstance(label, int)
            hit = np.flatnonzero(avail > label)
            parts_r.append(hit.astype(np.int64))
            parts_c.append(np.full(hit.size, col, dtype=np.int64))
            parts_v.append(np.ones(hit.size, dtype=np.float32))
        for label, col in cols.family("lck"):
            hit = np.array([i for i, c in enumerate(cands) if label not in c.driving_licences],
                           dtype=np.int64)
            parts_r.append(hit)
            parts_c.append(np.full(hit.size, col, dtype=np.int64))
            parts_v.append(np.ones(hit.size, dtype=np.float32))
        coo = (np.concatenate(parts_v), (np.concatenate(parts_r), np.concatenate(parts_c)))
        self._x_csc = sp.csc_matrix(coo, shape=(n, n_features), dtype=np.float32)
        self._x_csr = self._x_csc.tocsr()
        col_max = np.zeros(n_features, dtype=np.int64)
        if n:
            col_max = np.asarray(self._x_csc.max(axis=0).toarray()).ravel().astype(np.int64)
        n_adapt = len(adapt_cols) if not self._adapt_linear else 0
        self._a_csc = sp.csc_matrix(
            (np.ones(len(a_rows), dtype=np.float32), (a_rows, a_cols)),
            shape=(n, n_adapt), dtype=np.float32)
        self._a_csr = self._a_csc.tocsr()

        # Vacancy weights.
        self._terms: list[_Terms] = []
        w_rows: list[int] = []
        w_cols: list[int] = []
        w_vals: list[float] = []
        av_rows: list[int] = []
        av_cols: list[int] = []
        const = np.zeros(m, dtype=np.int64)
        threshold = np.full(m, math.inf)
        for j, v in enumerate(vacs):
            terms = self._vacancy_terms(v, v_required[j], v_merit[j], start_weeks[j], cols,
                                        adapt_cols)
            soft_bound = sum(w * int(col_max[col]) for col, w in terms.soft.items())
            if self._adapt_linear:
                soft_bound += len(terms.adaptation)
            elif terms.adaptation:
                soft_bound += ADAPTATION_CAP
            terms.p = soft_bound + 1
            weights = dict(terms.soft)
            if self._adapt_linear:
                for col in terms.adaptation:
                    weights[col] = weights.get(col, 0) + 1
            else:
                av_rows.extend([j] * len(terms.adaptation))
                av_cols.extend(terms.adaptation)
            total_const = 0
            for pen_cols, pen_const in terms.penalties.values():
                total_const += pen_const * terms.p
                for col, coef in pen_cols.items():
                    weights[col] = weights.get(col, 0) + coef * terms.p
            magnitude = sum(abs(w) * int(col_max[col]) for col, w in weights.items())
            if magnitude + abs(total_const) + ADAPTATION_CAP >= EXACT_LIMIT:
                raise ValueError(f"vacancy {v.key!r}: too many requirements and skills to be "
                                 "scored exactly (weights exceed 2**24)")
            for col, w in weights.items():
                if w:
                    w_rows.append(j)
                    w_cols.append(col)
                    w_vals.append(w)
            const[j] = total_const
            threshold[j] = terms.threshold
            self._terms.append(terms)
        self._w_csr = sp.csr_matrix(
            (np.array(w_vals, dtype=np.float32), (w_rows, w_cols)),
            shape=(m, n_features), dtype=np.float32)
        self._w_csc = self._w_csr.tocsc()
        self._av_csr = sp.csr_matrix(
            (np.ones(len(av_rows), dtype=np.float32), (av_rows, av_cols)),
            shape=(m, n_adapt), dtype=np.float32)
        self._av_csc = self._av_csr.tocsc()
        self._const = const
        self._threshold = threshold
        # Eligible ⇔ features·weights ≥ threshold − constant (exact in float32 or float64).
        self._cut = threshold - const
        self.n_features = n_features

    def _vacancy_terms(self, v: VacancyProfile, required: frozenset[str],
                       merit: frozenset[str], start_week: int, cols: _Columns,
                       adapt_cols: Mapping[str, int]) -> _Terms:
        terms = _Terms()
        soft = terms.soft

        def add(col: int | None, weight: int) -> None:
            if col is not None and weight:
                soft[col] = soft.get(col, 0) + weight

        if v.ssyk is not None:
            add(cols.get("exp", v.ssyk), SAME_EXPERIENCE_FACTOR)
            add(cols.get("des", v.ssyk), DESIRED_FACTOR)
            for code in self.related.get(v.ssyk, {}):
                strength = strength_of(self.related, v.ssyk, code)
                add(cols.get("exp", code), strength)
                add(cols.get("des", code), strength)
            terms.threshold = 0.0 if v.open_to_all else float(RELEVANCE_UNIT)
        if v.occupation_field is not None:
            add(cols.get("fld", v.occupation_field), INTEREST_FIELD_FACTOR)
        for skill in required:
            add(cols.get("skl", skill),
                REQUIRED_SKILL_FACTOR * self.context.skill_weight(skill))
        for skill in merit:
            add(cols.get("skl", skill), MERIT_SKILL_FACTOR * self.context.skill_weight(skill))
        terms.adaptation = sorted(adapt_cols[a] for a in v.adaptations_offered
                                  if a in adapt_cols)

        def column(family: str, label: Hashable) -> int:
            col = cols.get(family, label)
            assert col is not None
            return col

        pen = terms.penalties
        pen["driving_licence"] = ({column("lck", lic): -1 for lic in v.driving_licences}, 0)
        pen["swedish_level"] = (
            {column("swl", v.min_swedish_rank): -1} if v.min_swedish_rank > 0 else {}, 0)
        pen["extent"] = ({column("cap", 1 if v.extent_adaptable else v.extent_percent): -1}, 0)
        pen["start"] = ({column("avl", start_week): -1}, 0)
        place_county = county_of(v.municipality, v.county)
        if place_county is None:
            pen["commute"] = ({}, 0)
        else:
            ways = {column("cm_any", ""): 1, column("cm_lc", place_county): 1}
            if v.municipality:
                ways[column("cm_km", v.municipality)] = 1
            else:
                ways[column("cm_kc", place_county)] = 1
            pen["commute"] = (ways, -1)
        return terms

    # ----------------------------------------------------------------- look-ups
    def _vacancy_index(self, key: int) -> int:
        try:
            return self._vacancy_pos[key]
        except KeyError:
            raise KeyError(f"vacancy {key!r} is not in this matching index "
                           f"({len(self.vacancies)} vacancies)") from None

    def _candidate_index(self, key: int) -> int:
        try:
            return self._candidate_pos[key]
        except KeyError:
            raise KeyError(f"candidate {key!r} is not in this matching index "
                           f"({len(self.candidates)} candidates)") from None

    def candidate(self, key: int) -> CandidateProfile:
        return self.candidates[self._candidate_index(key)]

    def vacancy(self, key: int) -> VacancyProfile:
        return self.vacancies[self._vacancy_index(key)]

    def explain(self, candidate_key: int, vacancy_key: int) -> Explanation:
        """`explain` for a pair of this index, with the pool's skill rarity."""
        return explain(self.candidate(candidate_key), self.vacancy(vacancy_key),
                       self.related, self.today, self.context)

    # ----------------------------------------------------------------- scoring
    def _raw_for_vacancy(self, j: int) -> FloatArray:
        """features · weights (without the constant) for every candidate."""
        n = len(self.candidates)
        lo, hi = self._w_csr.indptr[j], self._w_csr.indptr[j + 1]
        cols, weights = self._w_csr.indices[lo:hi], self._w_csr.data[lo:hi]
        raw: FloatArray
        if n == 0 or cols.size == 0:
            raw = np.zeros(n, dtype=np.float32)
        else:
            raw = np.asarray(self._x_csc[:, cols] @ weights, dtype=np.float32)
        if not self._adapt_linear:
            lo, hi = self._av_csr.indptr[j], self._av_csr.indptr[j + 1]
            offered = self._av_csr.indices[lo:hi]
            if offered.size and n:
                counts = np.asarray(self._a_csc[:, offered].sum(axis=1)).ravel()
                raw = raw + np.minimum(counts, ADAPTATION_CAP).astype(np.float32)
        return raw

    def _raw_for_candidate(self, i: int) -> FloatArray:
        m = len(self.vacancies)
        lo, hi = self._x_csr.indptr[i], self._x_csr.indptr[i + 1]
        cols, values = self._x_csr.indices[lo:hi], self._x_csr.data[lo:hi]
        raw: FloatArray
        if m == 0 or cols.size == 0:
            raw = np.zeros(m, dtype=np.float32)
        else:
            raw = np.asarray(self._w_csc[:, cols] @ values, dtype=np.float32)
        if not self._adapt_linear:
            lo, hi = self._a_csr.indptr[i], self._a_csr.indptr[i + 1]
            needs = self._a_csr.indices[lo:hi]
            if needs.size and m:
                counts = np.asarray(self._av_csc[:, needs].sum(axis=1)).ravel()
                raw = raw + np.minimum(counts, ADAPTATION_CAP).astype(np.float32)
        return raw

    @staticmethod
    def _rank(positions: IntArray, scores: IntArray, top: int | None,
              ) -> tuple[IntArray, IntArray]:
        """Order by score desc, then position asc (= key asc); exact at ties."""
        if top is not None and top < 0:
            raise ValueError(f"top must be ≥ 0 or None, got {top}")
        size = positions.size
        # One unique integer per entry: larger is better.
        stride = np.int64(int(positions.max()) + 1 if size else 1)
        composite = scores * stride + (stride - 1 - positions)
        if top is not None and top < size:
            part = np.argpartition(composite, size - top)[size - top:] if top else \
                np.zeros(0, dtype=np.int64)
            order = part[np.argsort(-composite[part])]
        else:
            order = np.argsort(-composite)
        return positions[order], scores[order]

    def _eligible_for_vacancy(self, j: int) -> tuple[IntArray, IntArray]:
        if math.isinf(self._threshold[j]) or not self.candidates:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        raw = self._raw_for_vacancy(j)
        positions = np.flatnonzero(raw >= self._cut[j]).astype(np.int64)
        return positions, raw[positions].astype(np.int64) + self._const[j]

    def candidates_for(self, vacancy_key: int, top: int | None = 20) -> list[Ranked]:
        """Eligible candidates, best first (score desc, key asc); [] for a vacancy without
        SSYK (see `exclusion_counts` for why) or when nobody is eligible."""
        j = self._vacancy_index(vacancy_key)
        positions, scores = self._eligible_for_vacancy(j)
        positions, scores = self._rank(positions, scores, top)
        keys = self.candidate_keys[positions]
        return [Ranked(int(k), int(s)) for k, s in zip(keys, scores, strict=True)]

    def vacancies_for(self, candidate_key: int, top: int | None = 20) -> list[Ranked]:
        """Vacancies the candidate is eligible for, best first (score desc, key asc)."""
        i = self._candidate_index(candidate_key)
        if not self.vacancies:
            return []
        raw = self._raw_for_candidate(i)
        positions = np.flatnonzero(raw >= self._cut).astype(np.int64)
        scores = raw[positions].astype(np.int64) + self._const[positions]
        positions, scores = self._rank(positions, scores, top)
        keys = self.vacancy_keys[positions]
        return [Ranked(int(k), int(s)) for k, s in zip(keys, scores, strict=True)]

    def eligible_keys(self, vacancy_key: int) -> IntArray:
        """Keys of every eligible candidate, ascending."""
        positions, _ = self._eligible_for_vacancy(self._vacancy_index(vacancy_key))
        return self.candidate_keys[positions]

    def exclusion_counts(self, vacancy_key: int) -> dict[str, int]:
        """For every exclusion code: how many candidates fail it (one person can fail
        several). A vacancy without SSYK has `no_occupation` = every candidate."""
        j = self._vacancy_index(vacancy_key)
        v, terms = self.vacancies[j], self._terms[j]
        n = len(self.candidates)
        counts = dict.fromkeys(EXCLUSION_CODES, 0)
        if n == 0:
            return counts
        for code, (pen_cols, pen_const) in terms.penalties.items():
            if not pen_cols:
                continue
            cols = np.fromiter(pen_cols, dtype=np.int64, count=len(pen_cols))
            coefs = np.array([pen_cols[c] for c in cols], dtype=np.float32)
            value = np.asarray(self._x_csc[:, cols] @ coefs).ravel() + pen_const
            counts[code] = int(np.count_nonzero(value < 0))
        if v.ssyk is None:
            counts["no_occupation"] = n
        elif not v.open_to_all:
            if terms.soft:
                cols = np.fromiter(terms.soft, dtype=np.int64, count=len(terms.soft))
                weights = np.array([terms.soft[c] for c in cols], dtype=np.float32)
                relevance = np.asarray(self._x_csc[:, cols] @ weights).ravel()
                counts["occupation"] = int(np.count_nonzero(relevance < RELEVANCE_UNIT))
            else:
                counts["occupation"] = n
        return counts

    # ----------------------------------------------------------------- all pairs
    def top_candidates_all(self, top: int = 20,
                           block: int = BLOCK_VACANCIES) -> tuple[IntArray, IntArray]:
        """The best `top` candidates of every vacancy: (keys, scores), each of shape
        (number of vacancies, top), rows in the order of `vacancy_keys`, padded with -1
        where fewer candidates are eligible (and for vacancies without SSYK)."""
        if top < 0:
            raise ValueError(f"top must be ≥ 0, got {top}")
        if block < 1:
            raise ValueError(f"block must be ≥ 1, got {block}")
        m, n = len(self.vacancies), len(self.candidates)
        out_keys = np.full((m, top), -1, dtype=np.int64)
        out_scores = np.full((m, top), -1, dtype=np.int64)
        stats = AllPairsStats()
        started = time.perf_counter()
        live = np.flatnonzero(np.isfinite(self._threshold))
        if top == 0 or n == 0 or live.size == 0:
            self.last_all_pairs = stats
            return out_keys, out_scores
        # Vacancies of the same occupation field share most feature columns: group them so
        # that each block's product runs over few columns.
        fields = [self.vacancies[j].occupation_field or "" for j in live]
        codes = [self.vacancies[j].ssyk or "" for j in live]
        live = live[sorted(range(live.size), key=lambda k: (fields[k], codes[k]))]
        blocks = [live[lo:lo + block] for lo in range(0, live.size, block)]
        supports = [np.unique(self._w_csr.indices[np.concatenate(
            [np.arange(self._w_csr.indptr[j], self._w_csr.indptr[j + 1]) for j in rows])])
            for rows in blocks]
        x_t = self._x_csc.T.tocsr()              # features × candidates, rows gather fast
        a_dense_t = (np.ascontiguousarray(self._a_csc.T.toarray(), dtype=np.float32)
                     if not self._adapt_linear else None)
        width = max(s.size for s in supports)
        gathered = np.empty((width, n), dtype=np.float32)
        raw_buffer = np.empty((min(block, live.size), n), dtype=np.float32)
        mask_buffer = np.empty(raw_buffer.shape, dtype=bool)
        shift = np.int64(max(n - 1, 1).bit_length())
        for rows, support in zip(blocks, supports, strict=True):
            raw = raw_buffer[:rows.size]
            tick = time.perf_counter()
            if support.size:
                x_block = gathered[:support.size]
                x_t[support].toarray(out=x_block)        # zeroes, then fills
                np.matmul(self._w_csr[rows][:, support].toarray(), x_block, out=raw)
            else:
                raw.fill(0.0)
            if a_dense_t is not None:
                raw += np.minimum(self._av_csr[rows].toarray() @ a_dense_t, ADAPTATION_CAP)
            stats.matmul_seconds += time.perf_counter() - tick
            stats.matmul_flops += 2.0 * rows.size * support.size * n
            tick = time.perf_counter()
            self._select_block(raw, mask_buffer[:rows.size], rows, top, shift, out_keys,
                               out_scores)
            stats.select_seconds += time.perf_counter() - tick
        stats.blocks = len(blocks)
        stats.mean_block_features = float(np.mean([s.size for s in supports]))
        stats.total_seconds = time.perf_counter() - started
        self.last_all_pairs = stats
        return out_keys, out_scores

    def _select_block(self, raw: FloatArray, mask: npt.NDArray[np.bool_], rows: IntArray,
                      top: int, shift: np.int64, out_keys: IntArray,
                      out_scores: IntArray) -> None:
        """Top `top` of every row of `raw` among the eligible, exact at ties.

        1. A row's top-th value is at least the top-th value of any subset of the row, so
           the top-th value of a strided sample (if eligible) is a safe lower cut: all that
           can make the top passes it, ties included, and few others do.
        2. Scores are integers: a histogram per row of the survivors gives the exact
           top-th value and how many of the entries tied at it are needed; those are the
           first ones by position (= key), as the survivors are already in that order.
        3. The ≤ top kept entries per row are sorted by (row, score desc, position).
        """
        n = raw.shape[1]
        lower = self._cut[rows].astype(np.float32)
        stride = n // (top * SAMPLE_PER_TOP)
        if stride >= 2:
            # np.sort copes with the many ties of integer scores; np.partition does not.
            sample = np.sort(raw[:, ::stride], axis=1)
            lower = np.maximum(lower, sample[:, sample.shape[1] - top])
        np.greater_equal(raw, lower[:, None], out=mask)
        flat = np.flatnonzero(mask)
        if flat.size == 0:
            return
        local = flat // n                                       # ascending
        positions = flat - local * n                            # ascending within a row
        values = raw.ravel()[flat].astype(np.int64)
        offset = values - lower.astype(np.int64)[local]         # ≥ 0
        span = int(offset.max()) + 1
        if rows.size * span <= HISTOGRAM_LIMIT:
            hist = np.bincount(local * span + offset, minlength=rows.size * span)
            at_least = np.cumsum(hist.reshape(rows.size, span)[:, ::-1], axis=1)[:, ::-1]
            # Offset of the top-th value per row (-1: fewer than top, keep everything).
            kth = (at_least >= top).sum(axis=1) - 1
            above = np.where(kth >= 0,
                             at_least[np.arange(rows.size), np.minimum(kth + 1, span - 1)]
                             * (kth + 1 < span), 0)
            need = top - above
            row_kth = kth[local]
            tied = offset == row_kth
            tied_at = np.flatnonzero(tied)
            tied_rows = local[tied_at]
            first_tied = np.searchsorted(tied_rows, np.arange(rows.size))
            tied_rank = np.arange(tied_at.size) - first_tied[tied_rows]
            keep = offset > row_kth
            keep[tied_at[tied_rank < need[tied_rows]]] = True
            local, positions, values = local[keep], positions[keep], values[keep]
        # One sort: block row asc, then score desc, then candidate position (= key) asc.
        value_bits = np.int64(EXACT_LIMIT.bit_length() + 1)
        composite = ((local << (value_bits + shift))
                     | ((np.int64(EXACT_LIMIT * 2) - values) << shift) | positions)
        order = np.argsort(composite)
        counts = np.bincount(local, minlength=rows.size)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        rank = np.arange(order.size) - np.repeat(starts, counts)
        chosen = order[rank < top]
        rank = rank[rank < top]
        target = rows[local[chosen]]
        out_keys[target, rank] = self.candidate_keys[positions[chosen]]
        out_scores[target, rank] = values[chosen] + self._const[target]
