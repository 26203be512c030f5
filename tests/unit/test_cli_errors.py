"""The command line's clear errors: one line on stderr, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.cli.main import main
from review.cli.terminal import terminal_safe


def _fail(argv: list[str], capsys: pytest.CaptureFixture) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(("make_url", "message"), [
    (lambda tmp: "postgresql://nobody:secret@127.0.0.1:1/test", "cannot reach"),
    (lambda tmp: f"sqlite:///{tmp}", "is it a folder"),
    (lambda tmp: f"sqlite:///{tmp / 'notes.txt'}", "not a workbench database"),
    (lambda tmp: "foo://bar/baz", "unsupported database 'foo'"),
    (lambda tmp: "mysql://user@host/db", "unsupported database 'mysql'"),
])
def test_a_bad_db_url_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture,
                                  make_url, message: str) -> None:  # noqa: ANN001
    """Unreachable server, not a database, a folder, unknown scheme."""
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list: tea, rice, paper\n" * 200, encoding="utf-8")
    before = notes.read_bytes()
    err = _fail(["list", "--db", make_url(tmp_path)], capsys)
    assert message in err
    assert "secret" not in err
    assert notes.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("codec", ["rot13", "hex", "zlib", "base64", "no-such-codec"])
def test_a_codec_that_is_not_a_text_encoding_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture, codec: str) -> None:
    """--encoding rot13/hex/zlib gave tracebacks."""
    src = tmp_path / "a.txt"
    src.write_text("One sentence.\n", encoding="utf-8")
    err = _fail(["import", str(src), "--encoding", codec,
                 "--db", f"sqlite:///{tmp_path / 'x.db'}"], capsys)
    assert "encoding" in err


@pytest.mark.parametrize(("text", "codec"), [
    ("An English article.\nIts second line.\n", "utf-16"),
    ("An English article.\nIts second line.\n", "utf-32"),
    ("中文的文章。第二句话。\n", "latin-1"),
    ("中文的文章。第二句话。\n", "gb18030"),
])
def test_a_given_encoding_that_makes_mojibake_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture, text: str, codec: str) -> None:
    """--encoding utf-16 on a UTF-8 file imported mojibake."""
    for fmt, name in (("text", "a.txt"), ("csv", "a.csv")):
        src = tmp_path / name
        body = text if fmt == "text" else "mt\n" + text.replace("\n", " ") + "\n"
        src.write_text(body, encoding="utf-8")
        err = _fail(["import", str(src), "--format", fmt, "--encoding", codec,
                     "--db", f"sqlite:///{tmp_path / 'x.db'}"], capsys)
        assert "mojibake" in err


def test_a_right_legacy_encoding_still_imports(tmp_path: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes("中文的文章。第二句话。\n".encode("gb18030"))
    assert main(["import", str(src), "--encoding", "gb18030",
                 "--db", f"sqlite:///{tmp_path / 'x.db'}"]) == 0


def test_list_escapes_control_characters_in_titles(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    """ESC/OSC sequences and newlines reached the terminal raw."""
    db = f"sqlite:///{tmp_path / 'x.db'}"
    src = tmp_path / "a.txt"
    src.write_text("One sentence.\n", encoding="utf-8")
    title = "\x1b]0;owned\x07Evil\x1b[31m red\nfake row\u202e"
    assert main(["import", str(src), "--title", title, "--db", db]) == 0
    capsys.readouterr()
    assert main(["list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert out.count("\n") == 1
    assert "\\x1b]0;owned\\x07Evil\\x1b[31m red\\nfake row\\u202e" in out


@pytest.mark.parametrize(("raw", "shown"), [
    ("plain 中文 title", "plain 中文 title"),
    ("a\tb", "a\\tb"),
    ("\x9b2J", "\\x9b2J"),
    ("line\u2028sep", "line\\u2028sep"),
])
def test_terminal_safe(raw: str, shown: str) -> None:
    assert terminal_safe(raw) == shown
