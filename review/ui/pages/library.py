"""Library page: import articles and bilingual files, see what is there, remove articles."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.accounts.permissions import can
from review.core.errors import ReviewError
from review.formats.base import MAX_IMPORT_BYTES, ReadOptions
from review.formats.registry import FORMATS
from review.services.jobs import IMPORT_JOB_BYTES
from review.ui import state, team_widgets
from review.ui.jobs_panel import jobs_panel
from review.ui.resources import get_workbench
from review.ui.retranslate_panel import retranslation_panel
from review.ui.session import require_actor

KEY = "library"

workbench = get_workbench()
actor = require_actor(workbench)
st.title("Library")
state.show_flash()

if can(actor, "article.import"):
    with st.expander("Import", expanded=workbench.library.is_empty()):
        upload = st.file_uploader(
            "Scraped article (.txt) or bilingual file ("
            + ", ".join(f.label for f in FORMATS.values() if f.can_read) + ")",
            key=f"{KEY}_upload")
        cols = st.columns(4)
        readable = ["auto"] + [n for n, f in FORMATS.items() if f.can_read]
        fmt = cols[0].selectbox("Format", readable, key=f"{KEY}_format",
                                format_func=lambda n: "auto" if n == "auto" else FORMATS[n].label)
        source_lang = cols[1].text_input("Source language", placeholder="from the file",
                                         key=f"{KEY}_source_lang")
        target_lang = cols[2].text_input("Target language", placeholder="en",
                                         key=f"{KEY}_target_lang")
        title = cols[3].text_input("Title", placeholder="from the file", key=f"{KEY}_title")
        st.caption(f"Text files up to {MAX_IMPORT_BYTES // (1024 * 1024)} MB. An import is all "
                   "or nothing: a file with an error adds nothing.")
        again = st.checkbox("Import again anyway", key=f"{KEY}_again",
                            help="A file whose content is already in the library is refused "
                            "unless this is ticked (a second copy double-counts its raters).")
        if (st.button("Import", key=f"{KEY}_import", disabled=upload is None, type="primary")
                and upload is not None):  # a disabled button is never pressed
            data = upload.getvalue()
            try:
                options = ReadOptions(source_lang=source_lang or None,  # checks the codes
                                      target_lang=target_lang or None, title=title or None,
                                      origin=upload.name)
                if len(data) >= IMPORT_JOB_BYTES and not workbench.jobs.jobs_unavailable(actor):
                    job = workbench.jobs.start_import_job(actor, data, upload.name,
                                                     None if fmt == "auto" else fmt, options,
                                                     again=again)
                    state.flash("success", f"{upload.name} is big: it imports as job {job.id}, "
                                "all or nothing; follow it under Recent jobs.")
                    st.rerun()
                report = workbench.imports.import_file(actor, data, upload.name,
                                               None if fmt == "auto" else fmt, options,
                                               again=again)
                names = ", ".join(a.title for a in report.articles[:5])
                notes = "".join(f" Note: {n}." for n in report.notes)
                state.flash("success", f"Imported {len(report.articles)} article(s): {names} "
                            f"({report.segments} segments, {report.suggested_flags} "
                            f"suggested flags).{notes}")
                state.set_article_id(report.articles[0].id)
                # the picker keeps its own value across reruns: drop it so the next run
                # selects the imported article (an "Assign" must not go to the old one)
                st.session_state.pop(f"{KEY}_article", None)
            except ReviewError as exc:
                state.flash("error", f"Nothing was imported: {exc}")
            st.rerun()

articles = workbench.reading.summaries(actor)
if not articles:
    st.info("No articles yet.")
    st.stop()

verdicts = {v.article_id: v for v in workbench.verdicts.verdicts(actor, [a.id for a in articles])}
table = pd.DataFrame([{
    "ID": a.id, "Title": a.title, "Languages": f"{a.source_lang or '?'}→{a.target_lang}",
    "Status": a.status, "Segments": a.body_segments, "Residue": a.residue_segments,
    "To do": a.by_status.get("todo", 0), "Flagged": a.by_status.get("flagged", 0),
    "Fixed": a.by_status.get("fixed", 0), "Approved": a.by_status.get("approved", 0),
    "Open flags": a.open_flags, "Systems": len(a.systems), "Origin": a.origin,
    "Verdict": verdicts[a.id].label if a.id in verdicts else "",
} for a in articles])
st.dataframe(table, hide_index=True, width="stretch", key=f"{KEY}_table")

ids = [a.id for a in articles]
titles = {a.id: f"{a.id} · {a.title}" for a in articles}
current = state.article_id()
chosen = current if current is not None and current in ids else ids[0]
article_id = st.selectbox("Article", ids, index=ids.index(chosen),
                          format_func=titles.__getitem__, key=f"{KEY}_article")
state.set_article_id(article_id)
if st.button("Open in Review", key=f"{KEY}_open"):
    st.switch_page("review/ui/pages/review.py")

if can(actor, "article.retranslate"):
    retranslation_panel(workbench, actor, article_id)
if can(actor, "jobs.manage"):
    with st.expander("Recent jobs", expanded=True):
        jobs_panel(workbench, actor, key=KEY, limit=5)

if can(actor, "article.delete"):
    with st.expander("Delete this article"):
        confirm = st.text_input("Type the article ID to confirm", key=f"{KEY}_delete_confirm")
        if st.button("Delete", key=f"{KEY}_delete", disabled=confirm != str(article_id)):
            try:
                workbench.library.delete_article(actor, article_id)
                state.set_article_id(None)
                state.flash("success", f"Deleted article {article_id}.")
            except ReviewError as exc:
                state.flash("error", str(exc))
            st.rerun()

team_widgets.assignment_panel(workbench, actor, article_id)
