"""Fixtures for the occupations engine: a tiny hand-made taxonomy and the shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidare.engines.occupations import (
    JobTitle,
    OccupationGroup,
    OccupationMapper,
    OccupationName,
    Taxonomy,
    read_taxonomy,
)

SHIPPED = Path(__file__).resolve().parents[3] / "codelists" / "data"


@pytest.fixture(scope="session")
def shipped() -> Taxonomy:
    return read_taxonomy(SHIPPED)


@pytest.fixture(scope="session")
def mapper(shipped: Taxonomy) -> OccupationMapper:
    return OccupationMapper(shipped)


def tiny() -> Taxonomy:
    """Five groups in two fields, with a title shared by two groups."""
    groups = (
        OccupationGroup("4321", "Arbetsledare inom lager och terminal", "Transport"),
        OccupationGroup("4322", "Lager- och terminalpersonal", "Transport"),
        OccupationGroup("8344", "Truckförare", "Transport"),
        OccupationGroup("9111", "Städare", "Städ"),
        OccupationGroup("5151", "Städledare och husfruar", "Städ"),
    )
    names = (
        OccupationName("a1", "Lagerarbetare", "4322"),
        OccupationName("a2", "Terminalarbetare", "4322"),
        OccupationName("a3", "Lagerchef", "4321"),
        OccupationName("a4", "Truckförare", "8344"),
        OccupationName("a5", "Städare/Lokalvårdare", "9111"),
        OccupationName("a6", "Husfru", "5151"),
    )
    titles = (
        JobTitle("t1", "Truckchaufför", "a4", "8344"),
        JobTitle("t2", "Hotellstädare", "a5", "9111"),
        JobTitle("t3", "Lagerpersonal", "a1", "4322"),
        JobTitle("t4", "Städansvarig", "a5", "9111"),
        JobTitle("t4", "Städansvarig", "a6", "5151"),
    )
    return Taxonomy(groups, names, titles, places=("Borås", "Mark", "Upplands Väsby"))
