"""manage.py codelists load | show CODE | check"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from vidare.codelists.loader import (
    DATA_DIR,
    SCB_FILE,
    SCB_WITHOUT_JOBTECH_GROUP,
    CodelistDataError,
    build_related_occupations,
    load_all_detailed,
    parse_scb_structure,
)
from vidare.codelists.models import (
    DrivingLicence,
    EducationLevel,
    JobTitle,
    Language,
    Municipality,
    Occupation,
    OccupationName,
    RelatedOccupation,
    ScbOccupationMapping,
)

# What the shipped files hold (see data/SOURCES.md). SCB has 429 level-4 codes; two of them
# (SCB_WITHOUT_JOBTECH_GROUP) have no JobTech group, so 427 are mapped.
EXPECTED_OCCUPATIONS_BY_LEVEL = {1: 10, 2: 46, 3: 148, 4: 400}
EXPECTED_COUNTS = {
    "ScbOccupationMapping": 429 - len(SCB_WITHOUT_JOBTECH_GROUP),
    "OccupationName": 2819,
    "EducationLevel": 71,
    "Municipality": 290,
    "DrivingLicence": 15,
    "Language": 190,
    # job_titles.csv has 7 468 rows; 4 link to an occupation name with no SSYK group (skipped).
    "JobTitle": 7464,
}
MODELS = {
    "ScbOccupationMapping": ScbOccupationMapping,
    "OccupationName": OccupationName,
    "EducationLevel": EducationLevel,
    "Municipality": Municipality,
    "DrivingLicence": DrivingLicence,
    "Language": Language,
    "JobTitle": JobTitle,
}


class Command(BaseCommand):
    help = (
        "Manage Vidare's code lists: SSYK 2012 occupations and occupation names, SUN 2020 "
        "education levels, municipalities, languages and driving licences. The lists ship as "
        "files in vidare/codelists/data (sources in data/SOURCES.md) and are loaded by migration "
        "codelists.0002."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,show,check}")
        sub.add_parser(
            "load",
            help="Re-read the shipped files and upsert every code list; print rows per list.",
            description="Re-read the shipped files and create missing rows and update changed "
            "ones (keyed on code). Running it twice changes nothing the second time. Rows no "
            "longer in the files are kept.",
        )
        show = sub.add_parser(
            "show",
            help="Print one SSYK group with its parent chain, names and occupation names.",
            description="Print one SSYK 2012 group (1-4 digits) with its parents up to level 1, "
            "its Swedish and English names, the SCB codes mapped to it and its occupation "
            "names. An SCB level-4 code that JobTech merges (e.g. 1211) is followed to its group.",
        )
        show.add_argument("code", help="SSYK 2012 code, e.g. 5321, 532, 53 or 5; or SCB's 1211")
        sub.add_parser(
            "check",
            help="Verify that the stored code lists have the expected number of rows.",
            description="Compare the row counts with the shipped files: 10/46/148/400 "
            "occupations at levels 1-4, 427 SCB mappings (SCB's 429 less 4430 and 7619, which "
            "have no JobTech group), 2819 occupation names, 7464 job-title links, the related "
            "occupations computed from the files, 71 SUN levels, 290 municipalities, "
            "15 driving licences and 190 languages; and that every group has its parent chain. "
            "Exits with an error when anything differs.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            self._load()
        elif action == "show":
            self._show(options["code"])
        else:
            self._check()

    def _load(self) -> None:
        try:
            results = load_all_detailed()
        except (CodelistDataError, LookupError) as exc:
            raise CommandError(str(exc)) from exc
        for name, result in results.items():
            self.stdout.write(
                f"{name:<22} {result.total:>5} rows "
                f"({result.created} created, {result.updated} updated)"
            )
        self.stdout.write(self.style.SUCCESS("Code lists loaded."))

    def _show(self, code: str) -> None:
        code = code.strip()
        occupation = Occupation.objects.filter(code=code).first()
        if occupation is None:
            mapping = (
                ScbOccupationMapping.objects.select_related("occupation")
                .filter(scb_code=code)
                .first()
            )
            if mapping is None:
                if code in SCB_WITHOUT_JOBTECH_GROUP:
                    raise CommandError(f"SCB code {code} has no JobTech SSYK group.")
                raise CommandError(f"Unknown SSYK code: {code}")
            self.stdout.write(
                f"SCB {mapping.scb_code} {mapping.scb_name_en} → {mapping.occupation.code}\n"
            )
            occupation = mapping.occupation

        w = self.stdout.write
        w(f"{occupation.code}  level {occupation.level}")
        w(f"  sv: {occupation.name_sv or '(no Swedish name on file)'}")
        w(f"  en: {occupation.name_en or '(no English name on file)'}")
        if occupation.occupation_field_sv:
            w(f"  occupation field: {occupation.occupation_field_sv}")
        if occupation.jobtech_concept_id:
            w(f"  JobTech concept: {occupation.jobtech_concept_id}")
        chain = []
        parent = occupation.parent
        while parent is not None:
            chain.append(parent)
            parent = parent.parent
        if chain:
            w("Parents:")
            for group in chain:
                w(f"  {group.code:<4} level {group.level}  {group.name}")
        children = list(occupation.children.all())
        if children:
            w(f"Children ({len(children)}):")
            for child in children:
                w(f"  {child.code:<4} {child.name}")
        if occupation.level == 4:
            scb = ScbOccupationMapping.objects.filter(occupation=occupation)
            w("SCB codes: " + (", ".join(m.scb_code for m in scb) or "(none)"))
            names = list(occupation.occupation_names.all())
            w(f"Occupation names ({len(names)}):")
            for name in names:
                w(f"  {name.name_sv}")
            titles = sorted({t.title_sv for t in occupation.job_titles.all()})
            w(f"Job titles ({len(titles)}): " + (", ".join(titles) or "(none)"))
            related = list(
                RelatedOccupation.objects.filter(occupation=occupation)
                .select_related("related").order_by("-strength", "related__code")
            )
            w(f"Related occupations ({len(related)}):")
            for link in related:
                w(f"  {link.related.code} {link.strength} {link.kind:<16} {link.related.name}")

    def _check(self) -> None:
        problems: list[str] = []
        by_level = dict(
            Occupation.objects.values_list("level").annotate(n=Count("id")).order_by("level")
        )
        for level, expected in EXPECTED_OCCUPATIONS_BY_LEVEL.items():
            found = by_level.get(level, 0)
            self._report(f"Occupation level {level}", found, expected, problems)
        for name, expected in EXPECTED_COUNTS.items():
            self._report(name, MODELS[name].objects.count(), expected, problems)
        try:
            related_expected = len(build_related_occupations())
        except CodelistDataError as exc:
            raise CommandError(str(exc)) from exc
        self._report("RelatedOccupation", RelatedOccupation.objects.count(), related_expected,
                     problems)

        orphans = Occupation.objects.exclude(level=1).filter(parent__isnull=True).count()
        wrong_parent = sum(
            1
            for code, parent_code, level, parent_level in Occupation.objects.filter(
                parent__isnull=False
            ).values_list("code", "parent__code", "level", "parent__level")
            if parent_level != level - 1 or not code.startswith(parent_code)
        )
        if orphans or wrong_parent:
            problems.append(f"{orphans} groups without parent, {wrong_parent} with a wrong parent")
        scb_codes = {code for code, item in parse_scb_structure(DATA_DIR / SCB_FILE).items()
                     if item["level"] == 4}  # fmt: skip
        mapped = set(ScbOccupationMapping.objects.values_list("scb_code", flat=True))
        unaccounted = sorted(scb_codes - mapped - SCB_WITHOUT_JOBTECH_GROUP)
        if unaccounted:
            problems.append(f"SCB codes without mapping: {', '.join(unaccounted)}")
        self.stdout.write(
            f"SCB level-4 codes: {len(scb_codes)} "
            f"({len(mapped & scb_codes)} mapped, no JobTech group: "
            f"{', '.join(sorted(SCB_WITHOUT_JOBTECH_GROUP))})"
        )
        if problems:
            raise CommandError("Code lists differ from the shipped files: " + "; ".join(problems))
        self.stdout.write(self.style.SUCCESS("Code lists OK."))

    def _report(self, label: str, found: int, expected: int, problems: list[str]) -> None:
        mark = "ok" if found == expected else "DIFFERS"
        self.stdout.write(f"{label:<22} {found:>5} (expected {expected}) {mark}")
        if found != expected:
            problems.append(f"{label}: {found}, expected {expected}")
