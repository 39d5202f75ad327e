"""The benchmark's code path on tiny sizes (figures are not checked, only that it runs and
that its built-in comparison with `explain` holds)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[5] / "bench" / "bench_matching.py"


@pytest.mark.skipif(not BENCH.exists(), reason="bench/ is not part of an installed package")
def test_bench_runs_on_tiny_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_matching", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.measure(600, 60, queries=5, subset=(200, 20), seed=3, peak_size=128)
    figures["maxrss_mib"] = figures["child_maxrss_mib"]
    assert figures["subset"]["pairs"] == 200 * 20
    assert figures["subset"]["eligible_pairs"] > 0
    assert figures["all_pairs"]["filled_rows"] > 0
    assert figures["vacancy_query_ms"]["n"] == 5
    bench.report(figures)
    assert "identical rankings" in capsys.readouterr().out
