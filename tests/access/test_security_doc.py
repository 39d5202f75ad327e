"""docs/security.md carries the authorisation matrix exactly as the code enforces it."""

from __future__ import annotations

from pathlib import Path

from vidare.access.matrix import render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_security_doc_shows_the_enforced_matrix():
    text = DOC.read_text(encoding="utf-8")
    begin = text.index("<!-- matrix:begin")
    begin = text.index("\n", begin) + 1
    end = text.index("<!-- matrix:end -->")
    assert text[begin:end].strip() == render_markdown().strip(), (
        "docs/security.md is out of date: paste the output of "
        "vidare.access.matrix.render_markdown() between the matrix markers.")
