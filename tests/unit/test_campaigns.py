"""Campaign files: checked whole first, set up all or nothing, links that work, progress."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from review.accounts.permissions import SYSTEM_ACTOR
from review.cli.main import main
from review.core.errors import InputError
from review.db.models import Article, Assignment, Campaign, OneTimeToken, User
from review.formats.base import ReadOptions
from review.seed import SAMPLES_DIR
from review.services import Workbench
from review.services import campaigns as campaigns_module
from review.services.campaign_file import load_campaign_file, parse_campaign

SAMPLE = SAMPLES_DIR / "campaign.toml"
WMT = SAMPLES_DIR / "wmt23" / "wmt23-zhen-sample.tsv"


def _wmt(bench: Workbench) -> list[int]:
    report = bench.imports.import_path(SYSTEM_ACTOR, WMT, "mqm-tsv",
                                       ReadOptions(source_lang="zh", target_lang="en"))
    return [a.id for a in report.articles]


def _count(bench: Workbench, model: type) -> int:
    with bench.store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


GOOD = {"name": "c", "reviewers": ["ana"], "articles": [1]}


@pytest.mark.parametrize(("change", "key"), [
    ({"mode": "ratings"}, "mode"),
    ({"colour": "red"}, "colour"),
    ({"reviewers": []}, "reviewers"),
    ({"reviewers": ["ana", "ana"]}, "reviewers[1]"),
    ({"articles": [{"id": 1, "title": "x"}]}, "articles[0]"),
    ({"articles": [{"file": "missing.tsv"}]}, "articles[0].file"),
    ({"attention_checks": {"rate": 0.9}}, "attention_checks.rate"),
    ({"attention_checks": {"mode": "noisy"}}, "attention_checks.mode"),
    ({"due": "next week"}, "due"),
    ({"second_pass": {"reviewer": "ana"}}, "second_pass.reviewer"),
    ({"name": ""}, "name"),
])
def test_each_bad_key_is_one_line_naming_it(tmp_path: Path, change: dict, key: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_campaign({**GOOD, **change}, tmp_path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"campaign file: {key}:"), message


def test_the_sample_file_parses(tmp_path: Path) -> None:
    spec = load_campaign_file(SAMPLE)
    assert spec.mode == "rating" and len(spec.reviewers) == 2
    assert spec.check_rate > 0 and len(spec.articles) == 2
    data = {"name": "j", "reviewers": ["x"], "articles": [{"title": "t"}], "due": "2027-01-02"}
    (tmp_path / "c.json").write_text(json.dumps(data))
    assert str(load_campaign_file(tmp_path / "c.json").due) == "2027-01-02"


def test_the_sample_campaign_sets_up_links_assignments_and_checks(bench: Workbench) -> None:
    _wmt(bench)
    result = bench.campaigns.create_campaign(SYSTEM_ACTOR, load_campaign_file(SAMPLE))
    assert len(result.article_ids) == 2 and result.assignments == 4
    assert [link.name for link in result.links] == ["ana", "ben"]
    assert all(link.created and link.path.startswith("join?reset=") for link in result.links)
    with bench.store.read() as session:
        rows = session.scalars(select(Assignment)).all()
        assert {(a.mode, a.check_mode) for a in rows} == {("rating", "loud")}
        assert session.scalar(select(User.password_hash).where(User.name == "ana")) is None
    assert all(bench.attention.attention_checks(SYSTEM_ACTOR, a.id) for a in rows)
    token = result.links[0].path.split("=", 1)[1]
    actor = bench.invitations.use_reset_link(token, "ana-password-1")
    assert actor.name == "ana" and actor.role == "reviewer"
    assert len(bench.assignments.my_queue(actor)) == 2
    queue = bench.attention.review_queue(actor, rows[0].id)
    real = [i for i in queue if i.ref != ""]
    bench.ratings.rate_segment(actor, _first_segment(bench, rows[0].article_id), 70)
    status = bench.campaigns.campaign_status(SYSTEM_ACTOR, "WMT23 zh-en rating")
    assert len(status.rows) == 4 and real
    ana = [r for r in status.rows if r.reviewer == "ana" and r.article_id == rows[0].article_id]
    assert ana[0].done == 1 and ana[0].segments == 10 and ana[0].checks >= 1
    with pytest.raises(InputError, match="exists already"):
        bench.campaigns.create_campaign(SYSTEM_ACTOR, load_campaign_file(SAMPLE))


def _first_segment(bench: Workbench, article_id: int) -> int:
    from review.db.models import Segment

    with bench.store.read() as session:
        return session.scalar(select(Segment.id).where(Segment.article_id == article_id,
                                                       Segment.mt != "")
                              .order_by(Segment.position).limit(1))


def test_a_failure_leaves_nothing_of_the_campaign(any_bench: Workbench, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("A title\n\nOne sentence, with a clause, and more. Two.\n")
    spec = parse_campaign({"name": "x", "reviewers": ["ana", "ben"], "mode": "rating",
                           "articles": [{"file": "a.txt", "target_lang": "en"}],
                           "attention_checks": {"rate": 0.5}}, tmp_path)

    def broken(*_args: object) -> None:
        raise InputError("no checks today")

    bench = any_bench
    monkeypatch.setattr(campaigns_module, "place_checks", broken)
    with pytest.raises(InputError, match="no checks today"):
        bench.campaigns.create_campaign(SYSTEM_ACTOR, spec)
    for model in (Article, Assignment, Campaign, OneTimeToken, User):
        assert _count(bench, model) == 0, model


def test_a_look_alike_reviewer_is_refused_before_anything(bench: Workbench) -> None:
    ids = _wmt(bench)
    bench.accounts.add_user(SYSTEM_ACTOR, "omar", "reviewer", None)
    spec = parse_campaign({"name": "x", "reviewers": ["Omar"], "articles": ids[:1]}, Path("."))
    with pytest.raises(InputError, match="looks like the existing account 'omar'"):
        bench.campaigns.create_campaign(SYSTEM_ACTOR, spec)
    assert _count(bench, Assignment) == 0 and _count(bench, OneTimeToken) == 0


def test_cli_create_prints_links_and_status_shows_progress(
        bench: Workbench, sqlite_url: str, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    _wmt(bench)
    assert main(["campaign", "create", str(SAMPLE), "--db", sqlite_url, "--json",
                 "--app-url", "https://review.example.org"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [link["reviewer"] for link in data["links"]] == ["ana", "ben"]
    assert all(link["url"].startswith("https://review.example.org/join?reset=")
               for link in data["links"])
    assert main(["campaign", "status", "WMT23 zh-en rating", "--db", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert out.count("0/10 done") == 4
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "b"\nreviewers = ["x"]\narticles = [1]\nmode = "rate"\n')
    assert main(["campaign", "create", str(bad), "--db", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "mode" in err


def test_both_reviewers_and_the_second_reviewer_get_working_links(bench: Workbench) -> None:
    ids = _wmt(bench)
    bench.accounts.add_user(SYSTEM_ACTOR, "dora", "reviewer", "dora-password-1")
    spec = parse_campaign({"name": "pe", "reviewers": ["ana", "ben", "dora"],
                           "articles": ids[:1], "due": "2027-02-01",
                           "second_pass": {"reviewer": "cara"}}, Path("."))
    result = bench.campaigns.create_campaign(SYSTEM_ACTOR, spec)
    links = {link.name: link for link in result.links}
    assert links["dora"].path is None and not links["dora"].created  # has a password already
    assert links["cara"].second_pass and links["cara"].created
    for name in ("ana", "ben", "cara"):
        actor = bench.invitations.use_reset_link(links[name].path.split("=", 1)[1],
                                                 f"{name}-password-1")
        assert actor.name == name
    status = bench.campaigns.campaign_status(SYSTEM_ACTOR, "pe")
    assert status.second_reviewer == "cara" and status.due_at.date().isoformat() == "2027-02-01"
    assert {r.reviewer for r in status.rows} == {"ana", "ben", "dora"}
    assert status.to_json()["progress"][0]["segments"] == 10
