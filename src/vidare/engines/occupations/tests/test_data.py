"""Reading the shipped taxonomy files, and clear errors for broken ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vidare.engines.occupations import Taxonomy, TaxonomyFileError, read_taxonomy

from .conftest import SHIPPED


def test_shipped_files(shipped: Taxonomy) -> None:
    assert len(shipped.groups) == 400
    assert len(shipped.names) == 2819
    assert shipped.unlinked_titles == 4
    assert {t.ssyk for t in shipped.titles} <= {g.ssyk for g in shipped.groups}
    assert "Borås" in shipped.places
    sources = {a.source for a in shipped.aliases}
    assert sources == {"jobtech_2019", "scb_en"}
    # SCB's split manager codes land on JobTech's merged group.
    assert any(a.ssyk == "1210" and a.source == "scb_en" for a in shipped.aliases)


def test_missing_file_and_bad_code_are_named(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyFileError, match=r"ssyk_level4_jobtech\.csv: cannot open"):
        read_taxonomy(tmp_path)
    shutil.copytree(SHIPPED, tmp_path / "data")
    path = tmp_path / "data" / "occupation_names.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",3151,", ",31X1,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(TaxonomyFileError, match=r"occupation_names.csv, line 2: SSYK code must "
                                                r"be 4 digits, got '31X1'"):
        read_taxonomy(tmp_path / "data")
