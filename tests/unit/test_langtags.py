"""Language codes are BCP 47 tags, refused at import when they are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.cli.main import main
from review.core.errors import InputError
from review.lang.tags import normalise_tag


@pytest.mark.parametrize(("code", "tag"), [
    ("en", "en"), ("ZH", "zh"), ("zh_cn", "zh-CN"), ("zh-hans-cn", "zh-Hans-CN"),
    ("sr-latn-rs", "sr-Latn-RS"), ("de-CH-1996", "de-CH-1996"), ("es-419", "es-419"),
    ("en-US-x-twain", "en-US-x-twain"), ("x-klingon", "x-klingon"), ("und", "und"),
    ("yue", "yue"), ("", ""), ("  pt-br ", "pt-BR"),
])
def test_well_formed_tags_in_their_usual_case(code: str, tag: str) -> None:
    assert normalise_tag(code) == tag


@pytest.mark.parametrize("code", [
    "[zh](http://evil.test)", ":red[en]", "e", "en US", "zh-", "a1", "en;DROP", "中文",
    "en-" + "a" * 80,
])
def test_anything_else_is_refused(code: str) -> None:
    with pytest.raises(InputError, match="not a BCP 47 language tag"):
        normalise_tag(code)


@pytest.mark.parametrize("option", ["--source-lang", "--target-lang"])
def test_the_cli_refuses_a_bad_code(tmp_path: Path, capsys: pytest.CaptureFixture,
                                    option: str) -> None:
    """Validate language codes (BCP 47) at import."""
    src = tmp_path / "a.txt"
    src.write_text("One sentence.\n", encoding="utf-8")
    assert main(["import", str(src), option, "![x](http://evil.test)",
                 "--db", f"sqlite:///{tmp_path / 'x.db'}"]) == 2
    assert "BCP 47" in capsys.readouterr().err


def test_a_bad_code_from_the_file_is_refused(bench) -> None:  # noqa: ANN001
    """Language codes that came from a file (XLIFF, TMX, MQM names) pass the same check."""
    from review.accounts.permissions import SYSTEM_ACTOR
    from review.formats.base import DocArticle, DocSegment

    doc = DocArticle(title="T", source_lang="[zh](http://evil.test)",
                     segments=[DocSegment(mt="One.")])
    with pytest.raises(InputError, match="BCP 47"):
        bench.imports.import_articles(SYSTEM_ACTOR, [doc])
    good = DocArticle(title="T", source_lang="zh_cn", segments=[DocSegment(mt="One.")])
    assert bench.imports.import_articles(SYSTEM_ACTOR, [good]).articles[0].source_lang == "zh-CN"
