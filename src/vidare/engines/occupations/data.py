"""The occupation taxonomy the mapper and the related-occupation table are built from.

Plain frozen dataclasses and a reader for the shipped CSV files (see
``vidare/codelists/data/SOURCES.md``). The reader checks only what the engine relies on and
raises ``TaxonomyFileError`` naming the file and line otherwise.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .text import normalise

SSYK_LEVEL4_FILE = "ssyk_level4_jobtech.csv"
OCCUPATION_NAMES_FILE = "occupation_names.csv"
JOB_TITLES_FILE = "job_titles.csv"
MUNICIPALITIES_FILE = "municipalities.csv"
OCCUPATION_NAMES_2019_FILE = "occupation_names_2019.csv"
SCB_ENGLISH_FILE = "ssyk2012_structure_en_scb.csv"

_SSYK = re.compile(r"\d{4}")


class TaxonomyFileError(ValueError):
    """A taxonomy file is missing or holds a row the engine cannot use."""


@dataclass(frozen=True)
class OccupationGroup:
    """An SSYK 2012 unit group (level 4, JobTech's 400)."""

    ssyk: str
    name: str
    field: str = ""
    description: str = ""


@dataclass(frozen=True)
class OccupationName:
    """A JobTech occupation name (yrkesbenämning) in one unit group."""

    concept_id: str
    name: str
    ssyk: str


@dataclass(frozen=True)
class JobTitle:
    """A JobTech job title (synonym) linked to one occupation name."""

    concept_id: str
    title: str
    occupation_name_concept_id: str
    ssyk: str


@dataclass(frozen=True)
class Alias:
    """Another name for a group: a retired JobTech occupation name, SCB's English name."""

    text: str
    ssyk: str
    source: str


@dataclass(frozen=True)
class Taxonomy:
    groups: tuple[OccupationGroup, ...]
    names: tuple[OccupationName, ...]
    titles: tuple[JobTitle, ...]
    places: tuple[str, ...] = field(default=())
    # Rows of job_titles.csv without an occupation name or SSYK code (left out).
    unlinked_titles: int = 0
    aliases: tuple[Alias, ...] = field(default=())

    def without_titles(self, texts: Collection[str]) -> Taxonomy:
        """The same taxonomy without the job titles whose normalised text is in ``texts``
        (for cross-validation: the held-out titles must not be in the index)."""
        drop = {normalise(t) for t in texts}
        return Taxonomy(
            self.groups,
            self.names,
            tuple(t for t in self.titles if normalise(t.title) not in drop),
            self.places,
            self.unlinked_titles,
            self.aliases,
        )

    def without_aliases(self) -> Taxonomy:
        return Taxonomy(self.groups, self.names, self.titles, self.places,
                        self.unlinked_titles)

    def group_codes(self) -> list[str]:
        return [g.ssyk for g in self.groups]


def _rows(path: Path, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise TaxonomyFileError(f"{path.name}: cannot open ({exc.strerror or exc})") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise TaxonomyFileError(f"{path.name}: missing column(s) {', '.join(missing)}")
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def _code(path: Path, line: int, value: str) -> str:
    if not _SSYK.fullmatch(value):
        raise TaxonomyFileError(f"{path.name}, line {line}: SSYK code must be 4 digits, "
                                f"got {value!r}")
    return value


def read_taxonomy(data_dir: Path | str) -> Taxonomy:
    """Groups, occupation names, job titles and municipality names from ``data_dir``.

    Job titles come from ``job_titles.csv`` and from the ``job_titles_sv`` column of
    ``occupation_names.csv`` (the same JobTech synonyms, a few more links in the latter);
    duplicates (same title, same occupation name) are kept once.
    """
    directory = Path(data_dir)
    groups: list[OccupationGroup] = []
    path = directory / SSYK_LEVEL4_FILE
    for line, row in _rows(path, ["ssyk_code", "name_sv_2024", "occupation_field_sv",
                                  "description_sv"]):
        groups.append(OccupationGroup(_code(path, line, row["ssyk_code"]), row["name_sv_2024"],
                                      row["occupation_field_sv"], row["description_sv"]))
    known = {g.ssyk for g in groups}

    names: list[OccupationName] = []
    titles: dict[tuple[str, str], JobTitle] = {}
    path = directory / OCCUPATION_NAMES_FILE
    for line, row in _rows(path, ["concept_id", "name_sv", "ssyk_code", "job_titles_sv"]):
        code = _code(path, line, row["ssyk_code"])
        if code not in known:
            raise TaxonomyFileError(f"{path.name}, line {line}: unknown SSYK group {code}")
        names.append(OccupationName(row["concept_id"], row["name_sv"], code))
        for title in row["job_titles_sv"].split(" | "):
            if title.strip():
                key = (title.strip(), row["concept_id"])
                titles[key] = JobTitle("", title.strip(), row["concept_id"], code)

    path = directory / JOB_TITLES_FILE
    unlinked = 0
    if path.exists():
        for line, row in _rows(path, ["job_title_concept_id", "job_title_sv",
                                      "occupation_name_concept_id", "ssyk_code"]):
            if not row["ssyk_code"] and not row.get("occupation_name_sv"):
                # A title linked to an occupation name that is in neither source list (4 rows,
                # all to one name): no group to give it. See codelists/data/SOURCES.md.
                unlinked += 1
                continue
            code = _code(path, line, row["ssyk_code"])
            if code not in known:
                raise TaxonomyFileError(f"{path.name}, line {line}: unknown SSYK group {code}")
            key = (row["job_title_sv"], row["occupation_name_concept_id"])
            titles[key] = JobTitle(row["job_title_concept_id"], row["job_title_sv"],
                                   row["occupation_name_concept_id"], code)

    places: list[str] = []
    path = directory / MUNICIPALITIES_FILE
    if path.exists():
        places = [row["name_sv"] for _line, row in _rows(path, ["name_sv", "lan_name_sv"])]
        places += sorted({row["lan_name_sv"] for _line, row in _rows(path, ["lan_name_sv"])})
    aliases: list[Alias] = []
    current = {n.concept_id: n.ssyk for n in names}
    path = directory / OCCUPATION_NAMES_2019_FILE
    if path.exists():
        # Retired names stay useful: people still write them. A name JobTech still has is filed
        # under its current group.
        for line, row in _rows(path, ["concept_id", "name_sv", "ssyk_code"]):
            code = current.get(row["concept_id"]) or _code(path, line, row["ssyk_code"])
            if code in known:
                aliases.append(Alias(row["name_sv"], code, "jobtech_2019"))
    path = directory / SCB_ENGLISH_FILE
    if path.exists():
        # SCB's English names of its 429 level-4 groups. SCB's split manager groups (1211, 1212)
        # belong to JobTech's merged group (1210); other codes JobTech lacks are left out.
        for _line, row in _rows(path, ["code", "name"]):
            code = row["code"]
            if len(code) != 4:
                continue
            if code not in known and code[0] == "1" and code[:3] + "0" in known:
                code = code[:3] + "0"
            if code in known:
                aliases.append(Alias(row["name"], code, "scb_en"))
    return Taxonomy(tuple(groups), tuple(names), tuple(titles.values()), tuple(places),
                    unlinked_titles=unlinked, aliases=tuple(aliases))
