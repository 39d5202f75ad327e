"""Swedish text handling: normalisation, segments, filler and place words, compounds."""

from __future__ import annotations

from vidare.engines.occupations.text import (
    MAX_TEXT_LENGTH,
    content_words,
    normalise,
    place_stop_words,
    segments,
    split_compound,
    stem,
)


def test_normalise_casefolds_composes_and_drops_control_characters() -> None:
    # "O" + combining diaeresis composes to "Ö"; NUL and tab are spaces.
    assert normalise("  UNDERSKO\u0308TERSKA\x00\tI  BORÅS ") == "undersköterska i borås"
    assert normalise("städ\x00are") == "städ are"
    assert normalise("a\u200bb") == "a b"  # format characters (Cf) are control-like
    assert len(normalise("x" * 100_000)) == MAX_TEXT_LENGTH


def test_stemmer_is_snowball_swedish() -> None:
    assert stem("undersköterskor") == stem("undersköterska") == "underskötersk"
    assert stem("hemtjänsten") == "hemtjänst"


def test_padding_is_split_off_and_places_and_filler_dropped() -> None:
    places = place_stop_words(["Borås"])
    assert segments("Undersköterska till hemtjänsten i Borås", places) == [
        ["undersköterska"], ["hemtjänsten"]]
    assert segments("Säljare - Solceller & Batterier!", places) == [
        ["säljare"], ["solceller"], ["batterier"]]
    assert content_words("Extrajobb: lagerarbetare sökes i Borås, heltid 100%", places) == [
        "lagerarbetare"]
    assert content_words("Vi söker en driven säljare") == ["säljare"]


def test_place_names_that_are_job_words_stay() -> None:
    places = place_stop_words(["Mark", "Upplands Väsby", "Göteborg"],
                              protected=["Mark- och anläggningsarbetare"])
    assert "mark" not in places
    assert {"upplands", "väsby", "göteborg", "göteborgs"} <= places


def test_compounds_split_into_known_words_head_first() -> None:
    vocabulary = frozenset({"lager", "arbetare", "hemtjänst", "personal", "barn", "sköterska"})
    assert split_compound("lagerarbetare", vocabulary) == ["arbetare", "lager"]
    assert split_compound("hemtjänstpersonal", vocabulary) == ["personal", "hemtjänst"]
    assert split_compound("barnsköterska", vocabulary) == ["sköterska", "barn"]
    assert split_compound("xyzarbetare", vocabulary) == ["arbetare"]
    assert split_compound("arbetare", vocabulary) == []
    assert split_compound("kock", vocabulary) == []
