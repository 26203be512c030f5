"""The Export page offers each format under its own download name."""

from __future__ import annotations


def test_xliff_versions_and_tsv_kinds_download_under_distinct_names(make_app) -> None:
    at = make_app().run()
    at.switch_page("review/ui/pages/export.py").run()
    assert not at.exception, at.exception
    labels = {}
    for fmt in ("xliff", "xliff2", "tsv", "mqm-tsv"):
        at.radio(key="export_format").set_value(fmt).run()
        assert not at.exception, at.exception
        [button] = [b for b in at.get("download_button") if b.key == "export_download"]
        labels[fmt] = button.proto.label
    assert labels["xliff"].endswith(".xlf") and labels["xliff2"].endswith(".xliff")
    assert labels["mqm-tsv"].endswith(".mqm.tsv")
    assert labels["tsv"].endswith(".tsv") and not labels["tsv"].endswith(".mqm.tsv")
