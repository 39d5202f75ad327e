"""How well free-text job titles map to SSYK unit groups, beside a plain BM25 baseline.

Run: `make bench` or `.venv/bin/python bench/bench_occupations.py [--folds 5] [--ads PATH]`.

Two test sets, each scored by top-1 and top-5 accuracy and mean reciprocal rank (MRR, over the
first 10 suggestions; a miss counts 0):

(a) the real JobSearch ad headlines in ../shared/data/jobsearch-ads/ (the answer is each ad's
    `occupation_group.legacy_ams_taxonomy_id`), against the index built from all shipped data;
(b) the JobTech job titles of job_titles.csv (and occupation_names.csv's `job_titles_sv`) by
    k-fold cross-validation over the distinct title texts: each fold's titles are removed from
    the index before it is built, then looked up. A title linked to several groups counts as
    found when any of them is. Titles whose text is a current occupation name are excluded
    (they are in the index as names); titles whose text equals a retired (2019) occupation name
    are kept but also reported apart, since that list is in the index.

Baseline, on the same sets: bm25s over one document per unit group made of its occupation
names, whitespace tokens of the casefolded text, no stemming, no titles.

Also reported: index build time and per-query latency (single thread, in-process).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import bm25s
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vidare.engines.occupations import OccupationMapper, Taxonomy, read_taxonomy  # noqa: E402
from vidare.engines.occupations.mapper import FloatArray  # noqa: E402
from vidare.engines.occupations.text import normalise  # noqa: E402

DATA_DIR = ROOT / "src" / "vidare" / "codelists" / "data"
ADS = (ROOT.parent / "shared" / "data" / "jobsearch-ads"
       / "jobsearch_search_response_2025-09_dev.json")
SEED = 2026
SIGNALS = ("nb", "knn", "best", "bm25")

Item = tuple[str, frozenset[str]]
Ranker = Callable[[str], list[str]]


class Bm25Baseline:
    """bm25s over occupation names, one document per group; whitespace tokens, casefolded."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        texts: dict[str, list[str]] = defaultdict(list)
        for name in taxonomy.names:
            texts[name.ssyk].append(name.name)
        self.codes = sorted(texts)
        self.model = bm25s.BM25()
        self.model.index([" ".join(texts[c]).casefold().split() for c in self.codes],
                         show_progress=False)

    def rank(self, text: str) -> list[str]:
        tokens = [t for t in text.casefold().split() if t in self.model.vocab_dict]
        if not tokens:
            return []
        scores = np.asarray(self.model.get_scores(tokens))
        order = np.lexsort((np.arange(len(scores)), -scores))[:10]
        return [self.codes[i] for i in order if scores[i] > 0]


def metrics(ranks: Sequence[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "n": n,
        "top1": sum(1 for r in ranks if r == 1) / n,
        "top5": sum(1 for r in ranks if r is not None and r <= 5) / n,
        "mrr": sum(1 / r for r in ranks if r is not None and r <= 10) / n,
        "miss10": sum(1 for r in ranks if r is None) / n,
    }


def rank_of(ranked: Sequence[str], gold: frozenset[str]) -> int | None:
    return next((i + 1 for i, code in enumerate(ranked[:10]) if code in gold), None)


def mapper_ranks(mapper: OccupationMapper, items: Sequence[Item],
                 combos: dict[str, dict[str, float]]) -> dict[str, list[int | None]]:
    """Ranks of the right answer for each weighting in ``combos`` (one signals() per text)."""
    result: dict[str, list[int | None]] = {name: [] for name in combos}
    for text, gold in items:
        found = mapper.signals(text)
        for name, weights in combos.items():
            if found is None:
                result[name].append(None)
                continue
            total: FloatArray = sum(  # type: ignore[assignment]
                weights.get(k, 0.0) * found[k] for k in SIGNALS)
            order = np.lexsort((np.arange(len(total)), -total))[:10]
            result[name].append(rank_of([mapper.codes[i] for i in order if total[i] > 0], gold))
    return result


def load_ads(path: Path) -> list[Item]:
    hits = json.loads(path.read_text(encoding="utf-8"))["hits"]
    return [(h["headline"], frozenset({h["occupation_group"]["legacy_ams_taxonomy_id"]}))
            for h in hits]


def fmt(m: dict[str, float]) -> str:
    return (f"top-1 {m['top1']:6.1%}  top-5 {m['top5']:6.1%}  MRR {m['mrr']:.3f}  "
            f"not in top 10 {m['miss10']:5.1%}  (n={m['n']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--ads", type=Path, default=ADS)
    parser.add_argument("--show-failures", type=int, default=12)
    args = parser.parse_args()

    taxonomy = read_taxonomy(DATA_DIR)
    default = OccupationMapper  # the shipped settings
    started = time.perf_counter()
    mapper = default(taxonomy)
    build_seconds = time.perf_counter() - started
    print(f"index: {mapper.describe()}; built in {build_seconds:.2f} s")
    s = mapper.settings
    combos = {
        "mapper": {"nb": s.nb_weight, "knn": s.knn_weight, "best": s.best_weight,
                   "bm25": s.bm25_weight},
        "only nb": {"nb": 1.0}, "only knn": {"knn": 1.0}, "only best": {"best": 1.0},
        "only bm25": {"bm25": 1.0},
    }
    baseline = Bm25Baseline(taxonomy)

    # (a) ad headlines
    ads = load_ads(args.ads) if args.ads.exists() else []
    latencies: list[float] = []
    if ads:
        for text, _gold in ads:
            t0 = time.perf_counter()
            mapper.suggest(text, 5)
            latencies.append(time.perf_counter() - t0)
        ranks = mapper_ranks(mapper, ads, combos)
        print(f"\n(a) ad headlines ({args.ads.name})")
        for name, r in ranks.items():
            print(f"  {name:<12} {fmt(metrics(r))}")
        print(f"  {'BM25 names':<12} "
              f"{fmt(metrics([rank_of(baseline.rank(t), g) for t, g in ads]))}")
        misses = [(t, g) for (t, g), r in zip(ads, ranks["mapper"], strict=True)
                  if r is None or r > 5]
        print(f"  misses outside the top 5 ({len(misses)}):")
        for text, gold in misses[: args.show_failures]:
            got = [x.ssyk for x in mapper.suggest(text, 3)]
            print(f"    {text[:60]!r} want {'/'.join(sorted(gold))} got {got}")
    else:
        print(f"\n(a) ad headlines: {args.ads} not found, skipped")

    # (b) held-out job titles
    current = {normalise(n.name) for n in taxonomy.names}
    retired = {normalise(part) for a in taxonomy.aliases if a.source == "jobtech_2019"
               for part in a.text.split("/")}
    gold: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, str] = {}
    for title in taxonomy.titles:
        key = normalise(title.title)
        gold[key].add(title.ssyk)
        shown.setdefault(key, title.title)
    keys = sorted(k for k in gold if k not in current)
    excluded = len(gold) - len(keys)
    random.Random(SEED).shuffle(keys)
    all_ranks: dict[str, list[int | None]] = {name: [] for name in combos}
    in_retired: list[bool] = []
    base_ranks: list[int | None] = []
    failures: list[tuple[str, frozenset[str], list[str]]] = []
    builds: list[float] = []
    for fold in range(args.folds):
        held = keys[fold :: args.folds]
        t0 = time.perf_counter()
        fold_mapper = default(taxonomy.without_titles([shown[k] for k in held]))
        builds.append(time.perf_counter() - t0)
        items = [(shown[k], frozenset(gold[k])) for k in held]
        for name, r in mapper_ranks(fold_mapper, items, combos).items():
            all_ranks[name] += r
        in_retired += [k in retired for k in held]
        base_ranks += [rank_of(baseline.rank(t), g) for t, g in items]
        if fold == 0:
            for (text, g), r in zip(items, all_ranks["mapper"], strict=True):
                if r is None or r > 5:
                    failures.append((text, g, [x.ssyk for x in fold_mapper.suggest(text, 3)]))
        for text, _g in items[:200]:
            t0 = time.perf_counter()
            fold_mapper.suggest(text, 5)
            latencies.append(time.perf_counter() - t0)
    print(f"\n(b) job titles, {args.folds}-fold cross-validation over {len(keys)} distinct "
          f"titles ({excluded} titles identical to a current occupation name excluded)")
    for name, r in all_ranks.items():
        print(f"  {name:<12} {fmt(metrics(r))}")
    print(f"  {'BM25 names':<12} {fmt(metrics(base_ranks))}")
    mine = all_ranks["mapper"]
    print("  mapper, titles that are a retired (2019) occupation name: "
          + fmt(metrics([r for r, x in zip(mine, in_retired, strict=True) if x])))
    print("  mapper, all other titles:                              "
          + fmt(metrics([r for r, x in zip(mine, in_retired, strict=True) if not x])))
    rng = random.Random(SEED)
    print(f"  sample of fold-1 misses ({len(failures)} in the fold):")
    for text, g, got in rng.sample(failures, min(args.show_failures, len(failures))):
        print(f"    {text!r} want {'/'.join(sorted(g))} got {got}")

    latencies_ms = sorted(x * 1000 for x in latencies)
    p95 = latencies_ms[int(0.95 * (len(latencies_ms) - 1))]
    print(f"\nbuild: {build_seconds:.2f} s full index; cross-validation builds "
          f"median {statistics.median(builds):.2f} s")
    print(f"latency per query (suggest, top 5): p50 {statistics.median(latencies_ms):.1f} ms, "
          f"p95 {p95:.1f} ms over {len(latencies_ms)} queries")
    ratio_ads = ""
    if ads:
        ours = metrics(mapper_ranks(mapper, ads, {"m": combos["mapper"]})["m"])["top5"]
        base = metrics([rank_of(baseline.rank(t), g) for t, g in ads])["top5"]
        ratio_ads = f"ads {ours:.1%} vs {base:.1%}; "
    print(f"top-5, mapper vs BM25 baseline: {ratio_ads}titles "
          f"{metrics(mine)['top5']:.1%} vs {metrics(base_ranks)['top5']:.1%}")


if __name__ == "__main__":
    main()
