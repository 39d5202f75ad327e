"""Swedish text handling for occupation titles: normalisation, words, stems, compounds.

Everything here is deterministic and free of Django. The Snowball Swedish stemmer comes from
``snowballstemmer``; Unicode normalisation from the standard library.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import snowballstemmer

# Longest text the mapper reads; an ad headline is rarely over 150 characters. Longer input is
# cut here rather than refused, so a pasted description still gives suggestions.
MAX_TEXT_LENGTH = 300

# Swedish (and a few English) function words. They carry no occupation and appear in occupation
# names only as glue ("Alkohol- och drogterapeut"), so they are dropped on both sides.
def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION_WORDS: frozenset[str] = _wordlist(
    """
    och eller samt men av i på till från hos för med mot inom under över vid utan om efter
    som att en ett den det de din ditt dina du dig vi oss er ni vår vårt våra jag mig man
    är blir bli vara var har ha hade kan ska skall vill
    nu här där
    the a an and or of to in at for with on by as from our your you we is are
    """
)

# Words that pad a job ad's headline without naming the job: calls to apply, extent, form of
# employment, seasons, praise of the reader. Kept apart from FUNCTION_WORDS so the CLI and the
# documentation can show them.
AD_FILLER_WORDS: frozenset[str] = _wordlist(
    """
    sökes söker sök sökande ansök ansökan rekryterar rekrytering anställer anställning
    anställningar nyanställning
    extrajobb extraarbete sommarjobb sommarjobba feriejobb helgjobb kvällsjobb deltidsjobb
    jobb jobba jobbet tjänst tjänsten tjänster uppdrag uppdraget roll rollen möjlighet
    heltid deltid timanställning timanställd tillsvidare tillsvidareanställning
    tillsvidaretjänst visstid visstidsanställning provanställning allmän behovsanställning
    projektanställning säsongsanställning vikariat vikariatet vikarie vikarier vikarierande
    sommarvikariat sommarvikarie sommarvikarier semestervikarie semestervikarier
    timvikarie timvikarier ferie sommar sommaren säsong
    omgående snarast direkt start
    ny nya nytt driven drivna erfaren erfarna engagerad engagerade duktig duktiga
    senior junior stjärna stjärnor positiv positiva glad glada nyfiken ambitiös
    flexibel flexibla lösningsorienterad serviceinriktad serviceminded
    kund kunder kunds kundens uppdragsgivare
    lön fast provision grundlön mållön kr månaden månad vecka timme timmar tim procent
    hel halv dag dagtid kväll kvällar natt nätter helg helger
    stor stort stora liten litet små bästa bra väx växa
    centralt centrala norra södra västra östra
    """
)

# Words that name a place in general ("kommun", "län") or an organisation form.
PLACE_WORDS: frozenset[str] = _wordlist(
    """
    kommun kommuns kommunen stad stads staden region regionen regions län läns landsting
    county city sweden sverige svenska swedish ab hb kb
    """
)

_WORD = re.compile(r"\w+", re.UNICODE)
# Separators between the parts of a headline: "Säljare - Solceller | Firma AB".
_SEPARATOR = re.compile(r"\s[-–—]\s|[|,;:!?()\[\]{}/&+•·\"“”«»]|\s\.\s")
# Words that start the padding after a title: "Undersköterska till hemtjänsten i Borås".
SEGMENT_WORDS: frozenset[str] = frozenset(
    {"till", "hos", "på", "i", "inom", "för", "vid", "med", "mot", "at", "for", "in", "to",
     "within", "söker", "sökes", "–", "-"}
)
_STEMMER = snowballstemmer.stemmer("swedish")


def normalise(text: str) -> str:
    """NFKC, casefold, control characters and NULs removed, whitespace collapsed.

    Hyphens inside words stay ("it-tekniker"); other punctuation stays for the segmenter.
    """
    text = unicodedata.normalize("NFKC", text[:MAX_TEXT_LENGTH * 2])
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.casefold().split())[:MAX_TEXT_LENGTH]


def words(text: str) -> list[str]:
    """The words of normalised text (letters and digits; hyphens and punctuation split)."""
    return _WORD.findall(text.replace("_", " "))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball Swedish stem of one (casefolded) word."""
    return str(_STEMMER.stemWord(word))


def stems(tokens: Iterable[str]) -> list[str]:
    return [stem(token) for token in tokens]


def is_noise(word: str, places: frozenset[str]) -> bool:
    """A word that names no occupation: function word, ad filler, place, number."""
    return (
        word in FUNCTION_WORDS
        or word in AD_FILLER_WORDS
        or word in PLACE_WORDS
        or word in places
        or any(ch.isdigit() for ch in word)
        or len(word) < 2
    )


def content_words(text: str, places: frozenset[str] = frozenset()) -> list[str]:
    """The words of ``text`` that may name an occupation, in order."""
    return [w for w in words(normalise(text)) if not is_noise(w, places)]


def segments(text: str, places: frozenset[str] = frozenset()) -> list[list[str]]:
    """Split a headline into runs of content words.

    A run ends at punctuation that separates parts ("|", " - ", ",", "/"), at a word that
    introduces padding ("till", "hos", "i", "på", ...) and at a place name. Empty runs are left out.
    """
    result: list[list[str]] = []
    for part in _SEPARATOR.split(normalise(text)):
        current: list[str] = []
        for word in words(part):
            if word in SEGMENT_WORDS or word in places or word in PLACE_WORDS:
                if current:
                    result.append(current)
                current = []
            elif not is_noise(word, places):
                current.append(word)
        if current:
            result.append(current)
    return result


def place_stop_words(names: Iterable[str], protected: Iterable[str] = ()) -> frozenset[str]:
    """Municipality (or other place) names as single-word stop words, with genitive forms.

    Multi-word names contribute each word ("Upplands Väsby" gives "upplands", "väsby"). Words in
    ``protected`` (words of occupation names, such as "mark" or "vara") are not stop words, so a
    place that is also a job word never hides the job.
    """
    keep = {w for name in protected for w in words(normalise(name))}
    result: set[str] = set()
    for name in names:
        for word in words(normalise(name)):
            for form in (word, word + "s", word.removesuffix("s")):
                if len(form) >= 3 and form not in keep:
                    result.add(form)
    return frozenset(result)


def split_compound(word: str, vocabulary: frozenset[str], min_part: int = 3) -> list[str]:
    """Known words a Swedish compound ends and begins with, longest head noun first.

    ``lagerarbetare`` → ``["arbetare", "lager"]`` when both are in ``vocabulary`` (a set of
    whole words). The last part of a Swedish compound is its head ("arbetare"); a linking
    ``s`` or ``e`` between the parts ("hemtjänst|s|personal", "barn|s|köterska") is allowed.
    Both parts are shorter than the word, so a word in the vocabulary is split too (its own entry
    never matches). Returns [] when no known tail of at least ``min_part + 1`` letters is found.
    """
    if len(word) < 2 * min_part + 1:
        return []
    for cut in range(min_part, len(word) - min_part):
        tail = word[cut:]
        if tail in vocabulary:
            head = word[:cut]
            parts = [tail]
            for candidate in (head, head[:-1] if head[-1:] in {"s", "e"} else ""):
                if len(candidate) >= min_part and candidate in vocabulary:
                    parts.append(candidate)
                    break
                if len(candidate) > min_part:
                    deeper = split_compound(candidate, vocabulary, min_part)
                    if deeper:
                        parts.extend(deeper)
                        break
            return parts
    return []


def ngram_text(tokens: Sequence[str]) -> str:
    """Words joined for the character n-gram vectoriser."""
    return " ".join(tokens)
