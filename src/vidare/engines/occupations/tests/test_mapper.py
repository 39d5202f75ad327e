"""The mapper: ranking on the shipped taxonomy (the issue's examples), bad input, the contract."""

from __future__ import annotations

import numpy as np
import pytest

from vidare.engines.occupations import (
    MapperSettings,
    OccupationMapper,
    Suggestion,
    Taxonomy,
)

from .conftest import tiny


def codes(mapper: OccupationMapper, text: str, top: int = 5) -> list[str]:
    return [s.ssyk for s in mapper.suggest(text, top)]


@pytest.mark.parametrize(("text", "expected"), [
    ("städare på hotell", "9111"),
    ("Städare", "9111"),
    ("truckkörning", "8344"),
    ("bilmekaniker", "7231"),
    ("lagerarbetare", "4322"),
    ("Undersköterska till hemtjänsten i Borås", "5321"),
    ("Vi söker en fysioterapeut till primärvårdsrehab i Lessebo!", "2272"),
])
def test_issue_examples_rank_the_right_group_first(
        mapper: OccupationMapper, text: str, expected: str) -> None:
    assert codes(mapper, text)[0] == expected


def test_an_ambiguous_title_lists_its_groups(mapper: OccupationMapper) -> None:
    # "Säljare" is a job title of occupation names in ten groups.
    found = codes(mapper, "Säljare i Stockholm!")
    assert {"3322", "5223", "5242"} <= set(found)


def test_compound_inflection_and_typo(mapper: OccupationMapper) -> None:
    assert "5321" in codes(mapper, "hemtjänstpersonal", 3)      # compound
    assert "5321" in codes(mapper, "hemtjänst", 1)                # part of the group's name
    assert "5321" in codes(mapper, "undersköterskor hemtjänst", 1)  # plural
    assert set(codes(mapper, "underskoterska", 2)) == {"5321", "5323"}  # typo
    assert codes(mapper, "Lagerarbetre", 1) == ["4322"]           # typo in a compound


def test_place_and_employer_padding_does_not_change_the_answer(mapper: OccupationMapper) -> None:
    plain = codes(mapper, "Undersköterska", 2)
    padded = codes(mapper, "Undersköterska sökes till Bruksbacken i Borås kommun, extrajobb", 2)
    assert set(plain) == set(padded)


def test_suggestions_are_ranked_scored_and_limited(mapper: OccupationMapper) -> None:
    found = mapper.suggest("kock", 7)
    assert len(found) == 7
    assert all(isinstance(s, Suggestion) for s in found)
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert len({s.ssyk for s in found}) == 7
    assert found[0].name == "Kockar och kallskänkor"
    assert mapper.suggest("kock", 7) == found  # deterministic


@pytest.mark.parametrize("text", ["", "   ", "\x00\x00", "123 456", "!!! --- ???"])
def test_text_without_words_gives_nothing(mapper: OccupationMapper, text: str) -> None:
    assert mapper.suggest(text) == []


@pytest.mark.parametrize("text", ["Borås", "Vikarie", "extrajobb", "the"])
def test_only_filler_or_place_words_still_get_suggestions(
        mapper: OccupationMapper, text: str) -> None:
    assert mapper.suggest(text)


def test_huge_and_odd_input_does_not_break(mapper: OccupationMapper) -> None:
    assert codes(mapper, "städare " * 50_000, 1) == ["9111"]
    assert codes(mapper, "städ\x00are på hotell", 3)
    assert mapper.suggest("🙂 ☃ 漢字") == []  # nothing the index knows
    assert codes(mapper, "STÄDARE", 1) == ["9111"]


def test_top_must_be_positive(mapper: OccupationMapper) -> None:
    with pytest.raises(ValueError, match="top"):
        mapper.suggest("kock", 0)


def test_tiny_taxonomy_titles_and_shared_titles() -> None:
    small = OccupationMapper(tiny())
    assert codes(small, "truckchaufför", 1) == ["8344"]
    assert codes(small, "lagerarbetare sökes i Borås", 1) == ["4322"]
    # "Städansvarig" links to names in two groups: both are suggested, ahead of the rest.
    assert set(codes(small, "städansvarig", 2)) == {"9111", "5151"}
    scores = small.scores("lagerarbetare")
    assert scores.shape == (5,) and scores.dtype == np.float32


def test_held_out_titles_are_not_in_the_index() -> None:
    taxonomy = tiny()
    without = taxonomy.without_titles(["TRUCKCHAUFFÖR"])
    assert [t.title for t in without.titles if t.title == "Truckchaufför"] == []
    assert len(without.titles) == len(taxonomy.titles) - 1
    assert "truckchaufför" not in OccupationMapper(without).term_texts


def test_an_empty_taxonomy_is_refused() -> None:
    with pytest.raises(ValueError, match="no occupation groups"):
        OccupationMapper(Taxonomy((), (), ()))


def test_settings_change_the_weights() -> None:
    only_bm25 = OccupationMapper(tiny(), MapperSettings(nb_weight=0, knn_weight=0,
                                                        best_weight=0, bm25_weight=1))
    assert codes(only_bm25, "lagerarbetare", 1) == ["4322"]
