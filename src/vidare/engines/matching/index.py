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
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

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


@dataclass
class AllPairsStats:
    """Where the time of the last `top_candidates_all` went (for the benchmark)."""

    gather_seconds: float = 0.0        # dense feature columns of each block
    matmul_seconds: float = 0.0        # the float32 products only
    matmul_flops: float = 0.0
    select_seconds: float = 0.0
    total_seconds: float = 0.0
    blocks: int = 0
    mean_block_features: float = 0.0


# Column families and the exclusion code each penalty family stands for.
SOFT_FAMILIES = ("exp", "des", "fld", "skl")
PENALTY_FAMILIES = {"lck": "driving_licence", "swl": "swedish_level", "cap": "extent",
                    "avl": "start", "cm_any": "commute", "cm_lc": "commute",
                    "cm_km": "commute", "cm_kc": "commute"}
GROUPS = ("soft", "ada", *dict.fromkeys(PENALTY_FAMILIES.values()))


class _Columns:
    """Feature columns, one dictionary per family: label → column."""

    def __init__(self) -> None:
        self.families: dict[str, dict[Hashable, int]] = {}
        self.count = 0
        self.group_of: list[int] = []

    def family(self, name: str) -> dict[Hashable, int]:
        return self.families.setdefault(name, {})

    def add(self, family: str, label: Hashable) -> int:
        columns = self.family(family)
        col = columns.get(label)
        if col is None:
            col = columns[label] = self.count
            self.count += 1
            group = "soft" if family in SOFT_FAMILIES else PENALTY_FAMILIES.get(family, family)
            self.group_of.append(GROUPS.index(group))
        return col


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

    def __init__(self, candidates: Sequence[CandidateProfile],
                 vacancies: Sequence[VacancyProfile],
                 related: Mapping[str, Mapping[str, int]], today: date) -> None:
        # Kept in key order: position order is then key order, the tie-break.
        self.candidates = [candidates[i] for i in _sorted_unique(candidates, "candidate")]
        self.vacancies = [vacancies[i] for i in _sorted_unique(vacancies, "vacancy")]
        candidates, vacancies = self.candidates, self.vacancies
        self.related = related
        self.today = today
        self._candidate_skills = [normalise_labels(c.skills) for c in candidates]
        self.context = ScoringContext.from_skill_sets(self._candidate_skills)
        self.n_features = 0
        self.candidate_keys: IntArray = np.array([c.key for c in candidates], dtype=np.int64)
        self.vacancy_keys: IntArray = np.array([v.key for v in vacancies], dtype=np.int64)
        self._candidate_pos = {c.key: i for i, c in enumerate(candidates)}
        self._vacancy_pos = {v.key: i for i, v in enumerate(vacancies)}
        self.last_all_pairs = AllPairsStats()
        self._encode()

    @classmethod
    def build(cls, candidates: Sequence[CandidateProfile], vacancies: Sequence[VacancyProfile],
              related: Mapping[str, Mapping[str, int]], today: date) -> MatchingIndex:
        """Index the pools (any order; keys must be unique) as of `today`."""
        return cls(candidates, vacancies, related, today)

    # ----------------------------------------------------------------- encoding
    def _encode(self) -> None:
        cands, vacs, today, related = self.candidates, self.vacancies, self.today, self.related
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
                wanted_occupations.update(related.get(v.ssyk, {}))
            if v.occupation_field is not None:
                vac_fields.add(v.occupation_field)
            required = normalise_labels(v.required_skills)
            v_required.append(required)
            v_merit.append(normalise_labels(v.merit_skills) - required)
            vac_skills |= required | v_merit[-1]
            offered |= v.adaptations_offered
        c_skills = self._candidate_skills
        held: dict[str, set[str]] = {family: set() for family in SOFT_FAMILIES}
        for c, skills in zip(cands, c_skills, strict=True):
            held["exp"].update(c.experience)
            held["des"].update(c.desired_occupations)
            held["fld"].update(c.interest_fields)
            held["skl"].update(skills)
        wanted = {"exp": wanted_occupations, "des": wanted_occupations, "fld": vac_fields,
                  "skl": vac_skills}
        for family in SOFT_FAMILIES:
            for label in sorted(held[family] & wanted[family]):
                cols.add(family, label)
        needs = {a for c in cands for a in c.adaptation_needs} & offered
        self._adapt_linear = len(needs) <= ADAPTATION_CAP
        if self._adapt_linear:
            adapt_cols = {a: cols.add("ada", a) for a in sorted(needs)}
        else:
            adapt_cols = {a: i for i, a in enumerate(sorted(needs))}
        start_weeks = [week_number(effective_day(v.start, today)) for v in vacs]
        places = [(county_of(v.municipality, v.county), v.municipality) for v in vacs]
        for v, week, (place_county, municipality) in zip(vacs, start_weeks, places,
                                                         strict=True):
            for licence in sorted(v.driving_licences):
                cols.add("lck", licence)
            if v.min_swedish_rank > 0:
                cols.add("swl", v.min_swedish_rank)
            cols.add("cap", 1 if v.extent_adaptable else v.extent_percent)
            cols.add("avl", week)
            if place_county is not None:
                cols.add("cm_any", "")
                cols.add("cm_lc", place_county)
                if municipality:
                    cols.add("cm_km", municipality)
                else:
                    cols.add("cm_kc", place_county)
        n_features = cols.count
        self.n_features = n_features
        self._group_of = np.array(cols.group_of, dtype=np.int64)
        self._encode_candidates(cols, c_skills, adapt_cols)
        self._encode_vacancies(cols, v_required, v_merit, start_weeks, places, adapt_cols)

    def _encode_candidates(self, cols: _Columns, c_skills: list[frozenset[str]],
                           adapt_cols: Mapping[str, int]) -> None:
        cands, today = self.candidates, self.today
        n, n_features = len(cands), cols.count
        exp, des, fld, skl = (cols.family(f) for f in SOFT_FAMILIES)
        cm_any, cm_lc = cols.family("cm_any").get(""), cols.family("cm_lc")
        cm_km, cm_kc = cols.family("cm_km"), cols.family("cm_kc")
        rows: list[int] = []
        fcols: list[int] = []
        vals: list[int] = []
        a_rows: list[int] = []
        a_cols: list[int] = []
        unit = RELEVANCE_UNIT
        for i, (c, skills) in enumerate(zip(cands, c_skills, strict=True)):
            found: list[tuple[int | None, int]] = [
                (exp.get(code), unit * experience_level(years))
                for code, years in c.experience.items()]
            found += [(des.get(code), unit) for code in c.desired_occupations]
            found += [(fld.get(name), unit) for name in c.interest_fields]
            found += [(skl.get(skill), unit) for skill in skills]
            home_county = county_of(c.home_municipality, c.home_county)
            if c.commute == "obegransat" or home_county is None:
                found.append((cm_any, 1))
            elif c.commute == "kommun" and c.home_municipality:
                found.append((cm_km.get(c.home_municipality), 1))
                found.append((cm_kc.get(home_county), 1))
            else:
                found.append((cm_lc.get(home_county), 1))
            for col, value in found:
                if col is not None:
                    rows.append(i)
                    fcols.append(col)
                    vals.append(value)
            for need in c.adaptation_needs:
                col = adapt_cols.get(need)
                if col is not None:
                    if self._adapt_linear:
                        rows.append(i)
                        fcols.append(col)
                        vals.append(1)
                    else:
                        a_rows.append(i)
                        a_cols.append(col)
        parts_r: list[IntArray] = [np.array(rows, dtype=np.int64)]
        parts_c: list[IntArray] = [np.array(fcols, dtype=np.int64)]

        def thermometer(family: str, hit_of: Callable[[int], IntArray]) -> None:
            for label, col in cols.family(family).items():
                assert isinstance(label, int)
                hit = hit_of(label)
                parts_r.append(hit.astype(np.int64))
                parts_c.append(np.full(hit.size, col, dtype=np.int64))

        rank = np.array([c.swedish_rank for c in cands], dtype=np.int64)
        capacity = np.array([c.work_capacity_percent for c in cands], dtype=np.int64)
        available = np.array([week_number(effective_day(c.available_from, today))
                              for c in cands], dtype=np.int64)
        thermometer("swl", lambda r: np.flatnonzero(rank < r))
        thermometer("cap", lambda e: np.flatnonzero(capacity < e))
        thermometer("avl", lambda t: np.flatnonzero(available > t))
        for label, col in cols.family("lck").items():
            hit = np.array([i for i, c in enumerate(cands) if label not in c.driving_licences],
                           dtype=np.int64)
            parts_r.append(hit)
            parts_c.append(np.full(hit.size, col, dtype=np.int64))
        values = np.concatenate([np.array(vals, dtype=np.float32),
                                 np.ones(sum(p.size for p in parts_r[1:]), dtype=np.float32)])
        coo = (values, (np.concatenate(parts_r), np.concatenate(parts_c)))
        self._x_csc = sp.csc_matrix(coo, shape=(n, n_features), dtype=np.float32)
        self._x_csr = self._x_csc.tocsr()
        self._col_max = np.zeros(n_features, dtype=np.float64)
        if n and n_features:
            self._col_max = self._x_csc.max(axis=0).toarray().ravel().astype(np.float64)
        n_adapt = 0 if self._adapt_linear else len(adapt_cols)
        self._a_csc = sp.csc_matrix(
            (np.ones(len(a_rows), dtype=np.float32), (a_rows, a_cols)),
            shape=(n, n_adapt), dtype=np.float32)
        self._a_csr = self._a_csc.tocsr()

    def _encode_vacancies(self, cols: _Columns, v_required: list[frozenset[str]],
                          v_merit: list[frozenset[str]], start_weeks: list[int],
                          places: list[tuple[str | None, str | None]],
                          adapt_cols: Mapping[str, int]) -> None:
        vacs, related, context = self.vacancies, self.related, self.context
        m, n_features = len(vacs), cols.count
        exp, des, fld, skl = (cols.family(f) for f in SOFT_FAMILIES)
        lck, swl, cap, avl = (cols.family(f) for f in ("lck", "swl", "cap", "avl"))
        cm_any, cm_lc = cols.family("cm_any").get(""), cols.family("cm_lc")
        cm_km, cm_kc = cols.family("cm_km"), cols.family("cm_kc")
        occupation_terms: dict[str, list[tuple[int, int]]] = {}

        def occupation(ssyk: str) -> list[tuple[int, int]]:
            terms = occupation_terms.get(ssyk)
            if terms is None:
                terms = []
                for family, own in ((exp, SAME_EXPERIENCE_FACTOR), (des, DESIRED_FACTOR)):
                    col = family.get(ssyk)
                    if col is not None:
                        terms.append((col, own))
                    for code in related.get(ssyk, {}):
                        strength = strength_of(related, ssyk, code)
                        col = family.get(code)
                        if col is not None and strength:
                            terms.append((col, strength))
                occupation_terms[ssyk] = terms
            return terms

        # Soft weights (and adaptation) per vacancy; penalties in units of P, scaled below.
        s_rows: list[int] = []
        s_cols: list[int] = []
        s_vals: list[int] = []
        p_rows: list[int] = []
        p_cols: list[int] = []
        p_vals: list[int] = []
        a_rows: list[int] = []
        a_cols: list[int] = []
        adapt_count = np.zeros(m, dtype=np.float64)
        commute_const = np.zeros(m, dtype=np.float64)
        threshold = np.full(m, math.inf)
        for j, v in enumerate(vacs):
            soft: list[tuple[int | None, int]] = []
            if v.ssyk is not None:
                soft += occupation(v.ssyk)
                threshold[j] = 0.0 if v.open_to_all else float(RELEVANCE_UNIT)
            if v.occupation_field is not None:
                soft.append((fld.get(v.occupation_field), INTEREST_FIELD_FACTOR))
            soft += [(skl.get(k), REQUIRED_SKILL_FACTOR * context.skill_weight(k))
                     for k in v_required[j]]
            soft += [(skl.get(k), MERIT_SKILL_FACTOR * context.skill_weight(k))
                     for k in v_merit[j]]
            for col, weight in soft:
                if col is not None:
                    s_rows.append(j)
                    s_cols.append(col)
                    s_vals.append(weight)
            offered = [adapt_cols[a] for a in v.adaptations_offered if a in adapt_cols]
            adapt_count[j] = len(offered)
            if self._adapt_linear:
                s_rows.extend([j] * len(offered))
                s_cols.extend(offered)
                s_vals.extend([1] * len(offered))
            else:
                a_rows.extend([j] * len(offered))
                a_cols.extend(offered)
            penalty = [lck[licence] for licence in v.driving_licences]
            if v.min_swedish_rank > 0:
                penalty.append(swl[v.min_swedish_rank])
            penalty.append(cap[1 if v.extent_adaptable else v.extent_percent])
            penalty.append(avl[start_weeks[j]])
            p_rows.extend([j] * len(penalty))
            p_cols.extend(penalty)
            p_vals.extend([-1] * len(penalty))
            place_county, municipality = places[j]
            if place_county is not None and cm_any is not None:
                ways = [cm_any, cm_lc[place_county],
                        cm_km[municipality] if municipality else cm_kc[place_county]]
                p_rows.extend([j] * 3)
                p_cols.extend(ways)
                p_vals.extend([1, 1, 1])
                commute_const[j] = -1.0

        def matrix(rows: list[int], columns: list[int], values: Sequence[float],
                   width: int) -> Any:
            return sp.csr_matrix((np.array(values, dtype=np.float64), (rows, columns)),
                                 shape=(m, width), dtype=np.float64)

        soft_w = matrix(s_rows, s_cols, s_vals, n_features)
        penalty_w = matrix(p_rows, p_cols, p_vals, n_features)
        # P: one more than the most any candidate could get from the soft weights.
        soft_bound = soft_w @ self._col_max
        if not self._adapt_linear:
            soft_bound += np.minimum(adapt_count, ADAPTATION_CAP)
        p = soft_bound + 1.0
        weights = (soft_w + sp.diags(p) @ penalty_w).tocsr()
        const = commute_const * p
        magnitude = abs(weights) @ self._col_max + np.abs(const) + ADAPTATION_CAP
        too_large = np.flatnonzero(magnitude >= EXACT_LIMIT)
        if too_large.size:
            raise ValueError(f"vacancy {vacs[int(too_large[0])].key!r}: too many requirements "
                             "and skills to be scored exactly (weights exceed 2**24)")
        weights.eliminate_zeros()
        self._w_csr = weights.astype(np.float32)
        self._w_csc = self._w_csr.tocsc()
        self._p = p.astype(np.int64)
        n_adapt = 0 if self._adapt_linear else len(adapt_cols)
        self._av_csr = sp.csr_matrix(
            (np.ones(len(a_rows), dtype=np.float32), (a_rows, a_cols)),
            shape=(m, n_adapt), dtype=np.float32)
        self._av_csc = self._av_csr.tocsc()
        self._const = const.astype(np.int64)
        self._threshold = threshold
        # Eligible ⇔ features·weights ≥ threshold − constant (exact in float32 or float64).
        self._cut = threshold - self._const

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
        v = self.vacancies[j]
        n = len(self.candidates)
        counts = dict.fromkeys(EXCLUSION_CODES, 0)
        if n == 0:
            return counts
        lo, hi = self._w_csr.indptr[j], self._w_csr.indptr[j + 1]
        cols, weights = self._w_csr.indices[lo:hi], self._w_csr.data[lo:hi]
        groups = self._group_of[cols]

        def evaluate(group: str) -> FloatArray:
            chosen = groups == GROUPS.index(group)
            return np.asarray(self._x_csc[:, cols[chosen]] @ weights[chosen],
                              dtype=np.float32).ravel()

        for group in GROUPS[2:]:
            if np.any(groups == GROUPS.index(group)):
                # Penalty groups sum to 0 for a pass and to ≤ −P for a fail; the only
                # constant belongs to commute.
                value = evaluate(group) + (self._const[j] if group == "commute" else 0)
                counts[group] = int(np.count_nonzero(value < 0))
        if v.ssyk is None:
            counts["no_occupation"] = n
        elif not v.open_to_all:
            counts["occupation"] = int(np.count_nonzero(evaluate("soft") < RELEVANCE_UNIT))
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
            x_block = gathered[:support.size]
            x_t[support].toarray(out=x_block)            # zeroes, then fills
            w_block = self._w_csr[rows][:, support].toarray()
            stats.gather_seconds += time.perf_counter() - tick
            tick = time.perf_counter()
            np.matmul(w_block, x_block, out=raw)
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
