"""vidare occupations suggest [TEXT ...] [--top N] [--json]"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from vidare.codelists.services import MAX_SUGGESTIONS, suggest_occupations

EMPTY = "empty text: nothing to map"
NOTHING = "no word in the text resembles an occupation name"


def _top(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--top must be a whole number, got {value!r}") from None
    if not 1 <= number <= MAX_SUGGESTIONS:
        raise argparse.ArgumentTypeError(
            f"--top must be from 1 to {MAX_SUGGESTIONS}, got {number}"
        )
    return number


class Command(BaseCommand):
    # call_command(..., stdin=StringIO(...)) feeds "-" in tests.
    stealth_options = ("stdin",)
    help = (
        "Occupations (SSYK 2012): suggest unit groups for free-text job titles. "
        "`occupations suggest TEXT ...` maps each TEXT; `occupations suggest -` reads one text "
        "per line from standard input and prints one JSON object per line (batch use)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{suggest}")
        suggest = sub.add_parser(
            "suggest",
            help="Suggest SSYK unit groups for job titles, best first, with scores.",
            description="Map free-text job titles as caseworkers and employers write them "
            "('städare på hotell', 'Undersköterska till hemtjänsten i Borås') to ranked SSYK "
            "2012 unit groups with a score from 0 to 1, for a person to confirm. Each TEXT "
            "argument is one title; '-' reads one title per line from standard input and prints "
            "one JSON object per line (as --json does). A blank "
            "title gives a message (with --json an object with an \"error\" key) and the run "
            "goes on; the exit code is non-zero only for usage errors.",
        )
        suggest.add_argument("texts", nargs="*", metavar="TEXT",
                             help="job titles; '-' alone reads one per line from stdin")
        suggest.add_argument("--top", type=_top, default=5,
                             help=f"suggestions per text, 1 to {MAX_SUGGESTIONS} (default 5)")
        suggest.add_argument("--json", action="store_true",
                             help='print one JSON object per text: {"text": ..., '
                             '"suggestions": [{"ssyk", "name", "score"}, ...]}')

    def handle(self, *args: Any, **options: Any) -> None:
        texts: list[str] = options["texts"]
        if not texts:
            raise CommandError("Give one or more job titles, or '-' to read one per line "
                               "from standard input.")
        if "-" in texts and texts != ["-"]:
            raise CommandError("'-' (read standard input) must be the only TEXT.")
        stdin: TextIO = options.get("stdin") or sys.stdin
        lines: Iterable[str] = (
            (line.rstrip("\r\n") for line in stdin) if texts == ["-"] else texts
        )
        # Batch use: standard input in, one JSON line per input out, --json or not.
        as_json: bool = options["json"] or texts == ["-"]
        top: int = options["top"]
        for text in lines:
            self._one(text, top, as_json)

    def _one(self, text: str, top: int, as_json: bool) -> None:
        suggestions = suggest_occupations(text, top) if text.strip() else []
        if as_json:
            if not text.strip():
                payload: dict[str, Any] = {"text": text, "error": EMPTY}
            elif not suggestions:
                payload = {"text": text, "error": NOTHING}
            else:
                payload = {"text": text, "suggestions": [
                    {"ssyk": s.ssyk, "name": s.name, "score": s.score} for s in suggestions]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        if not text.strip():
            self.stdout.write(f"({EMPTY})")
            return
        self.stdout.write(text)
        if not suggestions:
            self.stdout.write(f"  ({NOTHING})")
        for rank, s in enumerate(suggestions, start=1):
            self.stdout.write(f"  {rank:>2}. {s.ssyk}  {s.score:.3f}  {s.name}")
        self.stdout.write("")
