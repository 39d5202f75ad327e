"""The Swedish translation: complete, compiled, in use; English stays available.

The UI runs in Swedish (LANGUAGE_CODE "sv") from src/vidare/locale/sv/LC_MESSAGES/django.po.
When a test here fails after you add or change a string, update the catalogue:

    cd src/vidare
    ../../.venv/bin/vidare makemessages -l sv --no-obsolete --add-location file \
        --ignore 'tests/*' --ignore '*/tests/*'
    (translate the new or fuzzy entries in django.po)
    ../../.venv/bin/vidare compilemessages -l sv
"""

from __future__ import annotations

import gettext
import re
import shutil
import struct
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

import vidare
from vidare.access.roles import Role
from vidare.people.models import Participant

PACKAGE = Path(vidare.__file__).resolve().parent
PO = PACKAGE / "locale" / "sv" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

HOW_TO_FIX = "see the docstring of tests/test_translations.py for the commands"


# ---- a small .po reader ---------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+"(.*)"$')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


@dataclass
class Entry:
    line: int
    msgid: str = ""
    plural: str | None = None
    context: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.context is None

    def __str__(self) -> str:
        return f"django.po line {self.line}: {self.msgid!r}"


def read_po(text: str) -> list[Entry]:
    """Entries of a .po file as GNU gettext writes it; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry = None
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, _unescape(line[1:-1]))
        else:
            match = _KEYWORD.match(line)
            assert match, f"django.po line {number} is not valid: {raw!r}"
            keyword, index, value = match.group(1), int(match.group(2) or 0), match.group(3)
            target = (keyword, index)
            if keyword == "msgstr":
                entry.msgstrs[index] = ""
            _append(entry, target, _unescape(value))
    return [e for e in entries if e.msgstrs or e.msgid]


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    keyword, index = target
    if keyword == "msgstr":
        entry.msgstrs[index] += text
    elif keyword == "msgid":
        entry.msgid += text
    elif keyword == "msgid_plural":
        entry.plural = (entry.plural or "") + text
    else:
        entry.context = (entry.context or "") + text


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return read_po(PO.read_text(encoding="utf-8"))


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if not e.is_header]


def test_reader_reads_plurals_continuations_and_flags() -> None:
    sample = ('msgid ""\nmsgstr ""\n"Language: sv\\n"\n\n'
              '#: a.py\n#, fuzzy, python-format\nmsgid ""\n"%(n)s long "\n"text"\n'
              'msgid_plural "%(n)s texts"\nmsgstr[0] "%(n)s \\"lång\\""\nmsgstr[1] ""\n')
    header, entry = read_po(sample)
    assert header.is_header and header.msgstrs[0] == "Language: sv\n"
    assert entry.msgid == "%(n)s long text" and entry.plural == "%(n)s texts"
    assert entry.msgstrs == {0: '%(n)s "lång"', 1: ""}
    assert entry.flags == {"fuzzy", "python-format"} and entry.line == 5


# ---- (a) complete: nothing untranslated, nothing fuzzy --------------------------------------

def test_catalogue_is_swedish_with_two_plural_forms(entries: list[Entry]) -> None:
    header = entries[0]
    assert header.is_header, "the .po must start with its header"
    assert "fuzzy" not in header.flags, "a fuzzy header is left out of the .mo"
    assert "Language: sv\n" in header.msgstrs[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstrs[0]
    assert len(messages(entries)) > 600  # the whole UI, not a stub


def test_every_message_is_translated_and_none_is_fuzzy(entries: list[Entry]) -> None:
    fuzzy = [str(e) for e in messages(entries) if "fuzzy" in e.flags]
    untranslated = [str(e) for e in messages(entries)
                    if not e.msgstrs or not all(s.strip() for s in e.msgstrs.values())]
    wrong_forms = [str(e) for e in messages(entries)
                   if e.plural is not None and sorted(e.msgstrs) != [0, 1]]
    assert not fuzzy, f"fuzzy entries ({HOW_TO_FIX}):\n" + "\n".join(fuzzy)
    assert not untranslated, f"untranslated entries ({HOW_TO_FIX}):\n" + "\n".join(untranslated)
    assert not wrong_forms, "Swedish has two plural forms:\n" + "\n".join(wrong_forms)


_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%%|\{\w*\}|</?[a-zA-Z][^>]*>")


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def test_translations_keep_placeholders_and_html(entries: list[Entry]) -> None:
    broken = []
    for e in messages(entries):
        sources = [e.msgid] if e.plural is None else [e.msgid, e.plural]
        for index, text in e.msgstrs.items():
            source = sources[min(index, len(sources) - 1)]
            if placeholders(text) != placeholders(source):
                broken.append(f"{e}: {placeholders(source)} != {placeholders(text)} in {text!r}")
    assert not broken, "\n".join(broken)


def test_placeholder_check_can_fail() -> None:
    assert placeholders("Hej %(name)s, <b>{id}</b> 5 %%") == sorted(
        ["%(name)s", "<b>", "</b>", "{id}", "%%"])
    assert placeholders("%(count)s veckor") != placeholders("%(n)s weeks")


MSGFMT = shutil.which("msgfmt")


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext is not installed")
def test_gettext_accepts_the_catalogue_without_warnings() -> None:
    done = subprocess.run(  # noqa: S603 - GNU msgfmt on our own file, fixed arguments
        [str(MSGFMT), "--check", "-o", "/dev/null", str(PO)],
        capture_output=True, text=True, check=False)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


# ---- (b) the shipped .mo is compiled from this .po ------------------------------------------

def mo_string_count(data: bytes) -> int:
    order = "<" if data[:4] == struct.pack("<I", 0x950412DE) else ">"
    assert data[:4] == struct.pack(f"{order}I", 0x950412DE), "django.mo is not a .mo file"
    return struct.unpack(f"{order}I", data[8:12])[0]


def test_shipped_mo_matches_the_po(entries: list[Entry]) -> None:
    data = MO.read_bytes()
    with MO.open("rb") as fp:
        catalog = gettext.GNUTranslations(fp)
    stale = []
    for e in messages(entries):
        if e.plural is None:
            compiled = [catalog.gettext(e.msgid)]
        else:
            compiled = [catalog.ngettext(e.msgid, e.plural, n) for n in (1, 2)]
        expected = [e.msgstrs[i] for i in sorted(e.msgstrs)]
        if compiled != expected:
            stale.append(f"{e}: .mo has {compiled!r}")
    assert not stale, f"django.mo is out of date ({HOW_TO_FIX}):\n" + "\n".join(stale)
    assert mo_string_count(data) == len(entries), (
        f"django.mo holds {mo_string_count(data)} strings, django.po {len(entries)}: "
        f"compile again ({HOW_TO_FIX})")


# ---- the catalogue covers every wrapped string in the source --------------------------------

@pytest.mark.skipif(not (shutil.which("xgettext") and shutil.which("msgmerge")),
                    reason="GNU gettext is not installed")
def test_catalogue_covers_every_string_marked_for_translation(
        entries: list[Entry], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """makemessages on a copy of the source adds nothing and drops nothing."""
    copy = tmp_path / "vidare"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns(
        "tests", "__pycache__", "static", "data", "*.mo", "*.sqlite3"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["sv"], no_obsolete=True, add_location="file",
                     ignore_patterns=["tests/*", "*/tests/*"], verbosity=0)
    fresh = read_po((copy / PO.relative_to(PACKAGE)).read_text(encoding="utf-8"))
    new = [str(e) for e in messages(fresh)
           if "fuzzy" in e.flags or not all(s.strip() for s in e.msgstrs.values())]
    gone = sorted({e.msgid for e in messages(entries)} - {e.msgid for e in messages(fresh)})
    assert not new, f"strings without a Swedish translation ({HOW_TO_FIX}):\n" + "\n".join(new)
    assert not gone, f"entries no longer in the source ({HOW_TO_FIX}): {gone}"


# ---- (c) Swedish by default, (d) English on request -----------------------------------------

def test_swedish_is_the_default_and_english_is_offered() -> None:
    from vidare.settings import base

    assert base.LANGUAGE_CODE == "sv"
    assert [code for code, _name in base.LANGUAGES] == ["sv", "en"]


@pytest.mark.parametrize("language, expected", [
    ("sv", {"My caseload": "Mina deltagare", "Centre overview": "Enhetsöversikt",
            "Log in": "Logga in", "Save": "Spara", "Cancel": "Avbryt",
            "participants": "2 deltagare", "meeting": "1 möte", "role": "Jobbcoach",
            "model": "deltagare"}),
    ("en", {"My caseload": "My caseload", "Centre overview": "Centre overview",
            "Log in": "Log in", "Save": "Save", "Cancel": "Cancel",
            "participants": "2 participants", "meeting": "1 meeting", "role": "Job coach",
            "model": "participant"}),
])
def test_key_strings_in_each_language(language: str, expected: dict[str, str]) -> None:
    with translation.override(language):
        got = {text: translation.gettext(text) for text in
               ("My caseload", "Centre overview", "Log in", "Save", "Cancel")}
        got["participants"] = translation.ngettext(
            "%(n)s participant", "%(n)s participants", 2) % {"n": 2}
        got["meeting"] = translation.ngettext("%(n)s meeting", "%(n)s meetings", 1) % {"n": 1}
        got["role"] = str(Role.JOBBCOACH.label)
        got["model"] = str(Participant._meta.verbose_name)
    assert got == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language, texts", [
    ("sv", ['<html lang="sv">', "Logga in i Vidare", "Användarnamn", "Lösenord"]),
    ("en", ['<html lang="en">', "Log in to Vidare", "Username", "Password"]),
])
def test_login_page_in_each_language(client: Any, language: str, texts: list[str]) -> None:
    page = client.get(reverse("access:login"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    for text in texts:
        assert text in page.content.decode()


def test_caseload_in_swedish_and_after_switching_to_english(world: Any, client: Any) -> None:
    client.force_login(world.users["coach_h"])
    url = reverse("enrolments:caseload")
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "<title>Mina deltagare – Vidare</title>" in swedish
    assert "Logga ut" in swedish and "My caseload" not in swedish

    # The language button in the header posts to set_language; the choice is kept.
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "<title>My caseload – Vidare</title>" in english
    assert "Log out" in english and "Mina deltagare" not in english


# ---- (e) no user-visible text in a template outside {% translate %} -------------------------

# Brand and language names (each written in its own language) are not translated.
ALLOWED_WORDS = {"Vidare", "English", "Svenska", "v"}  # "v" prefixes a version number: v3
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description",
                      "aria-roledescription", "aria-placeholder", "label"}
_TEMPLATE_CODE = [
    re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
]


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden_depth += 1
        values = dict(attrs)
        shown = set(VISIBLE_ATTRIBUTES)
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            shown.add("value")
        self.found += [v for k, v in attrs if k in shown and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.found.append(data)


def untranslated_text(source: str) -> list[str]:
    """Text a user would see that is not inside a translation tag."""
    for pattern in _TEMPLATE_CODE:
        source = pattern.sub(" ", source)
    source = re.sub(r"<!--.*?-->", " ", source, flags=re.S)
    parser = _VisibleText()
    parser.feed(source)
    parser.close()
    return [" ".join(text.split()) for text in parser.found
            if set(re.findall(r"[^\W\d_]+", text)) - ALLOWED_WORDS]


@pytest.mark.parametrize("source, found", [
    ("<p>Hello {{ name }}</p>", ["Hello"]),
    ('<input type="search" placeholder="Name">', ["Name"]),
    ('<input type="submit" value="Send">', ["Send"]),
    ('<nav aria-label="Main menu"></nav>', ["Main menu"]),
    ("<td>{{ n }} weeks</td>", ["weeks"]),
    ("<p>Åtgärda</p>", ["Åtgärda"]),
    ("<p>{% translate 'Hello' %}, {{ name }}!</p>", []),
    ("<p>{% blocktranslate count n=3 %}{{ n }} week{% plural %}{{ n }} weeks"
     "{% endblocktranslate %}</p>", []),
    ("{# a note #}{% comment %}A longer\nnote{% endcomment %}<!-- markup note -->", []),
    ('<a href="{% url \'home\' %}" title="{% translate \'Start\' %}">Vidare</a> – 12 %', []),
    ('<input type="hidden" name="next" value="back">', []),
    ("<script>const words = 'not shown';</script>", []),
])
def test_scanner_finds_untranslated_text(source: str, found: list[str]) -> None:
    assert untranslated_text(source) == found


TEMPLATES = sorted(PACKAGE.glob("*/templates/**/*.html"))


def test_templates_are_found() -> None:
    assert len(TEMPLATES) > 20
    assert PACKAGE / "core/templates/vidare/base.html" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_template_has_no_untranslated_text(template: Path) -> None:
    found = untranslated_text(template.read_text(encoding="utf-8"))
    assert not found, (f"{template.relative_to(PACKAGE)}: wrap in {{% translate %}} or "
                       f"{{% blocktranslate %}}: {found}")
