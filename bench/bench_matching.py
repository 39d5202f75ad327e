"""Matching engine: one vacancy against 100 000 candidates, all pairs, and the per-pair baseline.

Run: `make bench` or `.venv/bin/python bench/bench_matching.py [--quick] [--candidates N]
[--vacancies M] [--queries Q] [--seed S]`. Data: `vidare.engines.matching.synthetic`
(seeded; real SSYK codes and municipalities, invented people and jobs). Everything runs in
one child process so that its peak RSS (`ru_maxrss` of the child, data generation included)
is the memory figure. Reported:
  (a) `candidates_for(v, top=20)` for random vacancies: p50 / p99 (and `vacancies_for`);
  (b) `top_candidates_all(20)` over all pairs: time, peak RSS, achieved GFLOPS of the
      float32 products and their share of this machine's float32 matmul throughput,
      measured in the same run with a plain 4096³ `a @ b` (best of 3, before and after);
  (c) the index against the per-pair reference `explain` on a subset both can finish:
      every ranking must be identical (asserted), and the speed ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from typing import Any

import numpy as np

from vidare.engines.matching import MatchingIndex, Ranked, explain
from vidare.engines.matching.synthetic import generate, load_reference, related_from_reference

TODAY = date(2026, 12, 1)
TOP = 20


def matmul_peak_gflops(size: int = 4096, repeat: int = 3) -> float:
    """This machine's float32 matrix-multiply throughput right now (best of `repeat`)."""
    rng = np.random.default_rng(0)
    a = rng.random((size, size), dtype=np.float32)
    b = rng.random((size, size), dtype=np.float32)
    out = np.empty((size, size), dtype=np.float32)
    np.matmul(a, b, out=out)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        np.matmul(a, b, out=out)
        best = min(best, time.perf_counter() - started)
    return 2.0 * size**3 / best / 1e9


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def reference_ranking(candidates: list[Any], vacancy: Any, related: Any,
                      index: MatchingIndex) -> list[Ranked]:
    found = [Ranked(c.key, e.score) for c in candidates
             if (e := explain(c, vacancy, related, TODAY, index.context)).eligible]
    found.sort(key=lambda r: (-r.score, r.key))
    return found


def compare_subset(candidates: list[Any], vacancies: list[Any], related: Any
                   ) -> dict[str, float]:
    """(c): the same rankings from the index and from `explain`, pair by pair."""
    started = time.perf_counter()
    index = MatchingIndex.build(candidates, vacancies, related, TODAY)
    keys, scores = index.top_candidates_all(TOP)
    fast = time.perf_counter() - started
    started = time.perf_counter()
    expected = [reference_ranking(candidates, v, related, index) for v in index.vacancies]
    slow = time.perf_counter() - started
    pairs = len(candidates) * len(vacancies)
    for row, vacancy in enumerate(index.vacancies):
        want = expected[row]
        assert index.candidates_for(vacancy.key, top=None) == want, vacancy.key
        best = want[:TOP] + [Ranked(-1, -1)] * (TOP - len(want[:TOP]))
        assert keys[row].tolist() == [r.key for r in best], vacancy.key
        assert scores[row].tolist() == [r.score for r in best], vacancy.key
    return {"pairs": pairs, "index_s": fast, "explain_s": slow, "ratio": slow / fast,
            "explain_pairs_per_s": pairs / slow,
            "eligible_pairs": sum(len(w) for w in expected)}


def measure(n_candidates: int, n_vacancies: int, queries: int, subset: tuple[int, int],
            seed: int = 1, peak_size: int = 4096) -> dict[str, Any]:
    figures: dict[str, Any] = {"candidates": n_candidates, "vacancies": n_vacancies}
    reference = load_reference()
    related = related_from_reference(reference)
    started = time.perf_counter()
    candidates, vacancies = generate(n_candidates, n_vacancies, seed=seed, today=TODAY,
                                     reference=reference)
    figures["generate_s"] = time.perf_counter() - started

    # (c) first, on a slice of the same data.
    figures["subset"] = compare_subset(candidates[:subset[0]], vacancies[:subset[1]],
                                       related)

    started = time.perf_counter()
    index = MatchingIndex.build(candidates, vacancies, related, TODAY)
    figures["build_s"] = time.perf_counter() - started
    figures["features"] = index.n_features

    # (a) single queries.
    rng = random.Random(seed)
    with_ssyk = [v.key for v in vacancies if v.ssyk]
    times: list[float] = []
    found = 0
    for key in [rng.choice(with_ssyk) for _ in range(queries)]:
        started = time.perf_counter()
        found += len(index.candidates_for(key, top=TOP))
        times.append(time.perf_counter() - started)
    figures["vacancy_query_ms"] = {"p50": 1e3 * statistics.median(times),
                                   "p99": 1e3 * percentile(times, 0.99), "n": queries,
                                   "mean_found": found / queries}
    times = []
    for key in [rng.choice(index.candidate_keys.tolist()) for _ in range(queries)]:
        started = time.perf_counter()
        index.vacancies_for(int(key), top=TOP)
        times.append(time.perf_counter() - started)
    figures["candidate_query_ms"] = {"p50": 1e3 * statistics.median(times),
                                     "p99": 1e3 * percentile(times, 0.99)}

    # (b) all pairs, with the machine's matmul throughput measured around it.
    peak_before = matmul_peak_gflops(peak_size)
    started = time.perf_counter()
    keys, _ = index.top_candidates_all(TOP)
    figures["all_pairs_s"] = time.perf_counter() - started
    peak_after = matmul_peak_gflops(peak_size)
    stats = index.last_all_pairs
    figures["all_pairs"] = {
        "gather_s": stats.gather_seconds, "matmul_s": stats.matmul_seconds,
        "select_s": stats.select_seconds, "blocks": stats.blocks,
        "mean_block_features": stats.mean_block_features,
        "matmul_gflop": stats.matmul_flops / 1e9,
        "dense_gflop": 2.0 * n_candidates * n_vacancies * index.n_features / 1e9,
        "achieved_gflops": stats.matmul_flops / max(stats.matmul_seconds, 1e-9) / 1e9,
        "filled_rows": int((keys[:, 0] >= 0).sum()),
    }
    figures["peak_gflops"] = max(peak_before, peak_after)
    figures["peak_gflops_before_after"] = [peak_before, peak_after]
    figures["child_maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def report(f: dict[str, Any]) -> None:
    a, b, c = f["vacancy_query_ms"], f["all_pairs"], f["subset"]
    n, m = f["candidates"], f["vacancies"]
    share = b["achieved_gflops"] / f["peak_gflops"]
    print(f"\nMatching, {n:,} candidates × {m:,} vacancies "
          f"({f['features']} features; data generated in {f['generate_s']:.0f} s)")
    print(f"(a) one vacancy, top {TOP}:    p50 {a['p50']:.1f} ms  p99 {a['p99']:.1f} ms "
          f"over {a['n']} queries (target < 20 / < 50 ms)")
    print(f"    one candidate, top {TOP}:  p50 {f['candidate_query_ms']['p50']:.1f} ms  "
          f"p99 {f['candidate_query_ms']['p99']:.1f} ms")
    print(f"(b) all pairs, top {TOP}:      {f['all_pairs_s']:.1f} s (+ build "
          f"{f['build_s']:.1f} s = {f['all_pairs_s'] + f['build_s']:.1f} s; target < 60 s), "
          f"peak RSS {f['maxrss_mib'] / 1024:.2f} GiB (target < 4 GiB)")
    print(f"    gather {b['gather_s']:.1f} s, products {b['matmul_s']:.1f} s, top-k "
          f"{b['select_s']:.1f} s in {b['blocks']} blocks of ≤ 256 vacancies × "
          f"{b['mean_block_features']:.0f} features (mean)")
    print(f"    products: {b['matmul_gflop']:,.0f} GFLOP at {b['achieved_gflops']:.0f} GFLOPS"
          f" = {share:.0%} of this machine's float32 matmul ({f['peak_gflops']:.0f} GFLOPS, "
          f"4096³ a @ b, best of before/after: "
          f"{f['peak_gflops_before_after'][0]:.0f}/{f['peak_gflops_before_after'][1]:.0f})")
    print(f"    a dense product over all {f['features']} features would be "
          f"{b['dense_gflop']:,.0f} GFLOP ({b['dense_gflop'] / b['matmul_gflop']:.1f}× more)")
    extrapolated = n * m / c["explain_pairs_per_s"]
    fast = f["all_pairs_s"] + f["build_s"]
    print(f"(c) {c['pairs']:,} pairs, identical rankings: index (build + all pairs) "
          f"{c['index_s']:.2f} s, explain per pair {c['explain_s']:.1f} s: "
          f"ratio {c['ratio']:.0f}×")
    print(f"    explain runs {c['explain_pairs_per_s']:,.0f} pairs/s; all {n * m:,} pairs "
          f"that way ≈ {extrapolated / 3600:.1f} h against {fast:.0f} s here "
          f"(≈ {extrapolated / fast:,.0f}×)")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--subset", type=int, nargs=2, default=(2000, 200),
                        metavar=("CANDIDATES", "VACANCIES"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 10 000 × 1 000, 50 queries, subset 500 × 50")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.candidates, args.vacancies, args.queries = 10_000, 1_000, 50
        args.subset = (500, 50)
    sizes = [str(args.candidates), str(args.vacancies), str(args.queries),
             str(args.subset[0]), str(args.subset[1]), str(args.seed)]
    if args.child:
        figures = measure(args.candidates, args.vacancies, args.queries,
                          (args.subset[0], args.subset[1]), args.seed)
        print(json.dumps(figures))
        return figures
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", "--candidates", sizes[0], "--vacancies",
         sizes[1], "--queries", sizes[2], "--subset", sizes[3], sizes[4], "--seed",
         sizes[5]], check=True, stdout=subprocess.PIPE, text=True)
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    figures["maxrss_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if args.json:
        print(json.dumps(figures, indent=1))
    report(figures)
    return figures


if __name__ == "__main__":
    main()
