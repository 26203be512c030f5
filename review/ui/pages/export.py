"""Export page: corrected translations and annotations, downloaded in any format."""

from __future__ import annotations

import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.formats.filenames import export_extension
from review.formats.registry import FORMATS
from review.formats.tmx import NoPairs
from review.services import Workbench
from review.ui import state
from review.ui.markup import inert, md
from review.ui.resources import get_workbench
from review.ui.session import require_actor

KEY = "export"


def several_articles(workbench: Workbench, actor: Actor, ids: list[int],
                     titles: dict[int, str], fmt: str, options: dict) -> None:
    """Several articles in the chosen format, one file each, in one zip archive."""
    with st.expander("Several articles in one zip", icon=":material/folder_zip:"):
        chosen = st.multiselect("Articles", ids, format_func=titles.__getitem__,
                                key=f"{KEY}_several", placeholder="Choose articles")
        if not chosen:
            st.caption("Each article becomes one file in the archive, in the format above.")
            return
        try:
            archive = workbench.exports.export_articles(actor, chosen, fmt, record=False,
                                                        **options)
        except NoPairs as exc:
            st.info(inert(exc))
            return
        except ReviewError as exc:
            st.error(inert(exc))
            return
        st.download_button(f"Download {archive.filename}", data=archive.data,
                           file_name=archive.filename, mime=archive.mime,
                           key=f"{KEY}_zip", on_click=_record_all,
                           args=(workbench, actor, chosen, fmt))
        st.caption(f"{len(archive.data):,} bytes")


def _record_all(workbench: Workbench, actor: Actor, article_ids: list[int], fmt: str) -> None:
    for article_id in article_ids:
        workbench.exports.record_export(actor, article_id, fmt)


workbench = get_workbench()
actor = require_actor(workbench)
st.title("Export")

articles = workbench.reading.summaries(actor)
if not articles:
    st.info("Nothing to export yet: import an article on the Library page.")
    st.stop()

ids = [a.id for a in articles]
titles = {a.id: f"{a.id} · {a.title}" for a in articles}
current = state.article_id()
chosen = current if current is not None and current in ids else ids[0]
article_id = st.selectbox("Article", ids, index=ids.index(chosen),
                          format_func=titles.__getitem__, key=f"{KEY}_article")
writable = [name for name, f in FORMATS.items() if f.can_write]
fmt = st.radio("Format", writable,
               format_func=lambda n: (f"{FORMATS[n].label} "
                                      f"(.{export_extension(n, FORMATS[n].extensions[0])}): "
                                      f"{FORMATS[n].description}"),
               key=f"{KEY}_format")
include_residue = st.checkbox("Include web residue (captions, share links, tags)",
                              key=f"{KEY}_residue")
include_suggestions = st.checkbox(
    "Include the checks' open suggestions", key=f"{KEY}_suggestions",
    help="By default only flags a reviewer stands behind leave as annotations.")
approved_only = st.checkbox(
    "Approved segments only", key=f"{KEY}_approved",
    help="Segments not approved are left out; written into the original XLIFF or TMX file, "
         "their units stay as the file had them.")
options = {"include_residue": include_residue, "include_suggestions": include_suggestions,
           "approved_only": approved_only}
try:
    unfinished = workbench.exports.unfinished(actor, article_id)
    result = workbench.exports.export_article(actor, article_id, fmt, record=False, **options)
except NoPairs as exc:  # TMX of an article without source: offered, but switched off
    st.download_button("Download (TMX needs source text)", data=b"", disabled=True,
                       key=f"{KEY}_download")
    st.info(inert(exc))
    st.stop()
except ReviewError as exc:
    st.error(inert(exc))
    st.stop()
if unfinished and not approved_only:
    st.warning(inert(unfinished), icon=":material/rate_review:")
st.download_button(f"Download {result.filename}", data=result.data, file_name=result.filename,
                   mime=result.mime, key=f"{KEY}_download", type="primary",
                   on_click=workbench.exports.record_export, args=(actor, article_id, fmt))
st.caption(f"{len(result.data):,} bytes")
several_articles(workbench, actor, ids, titles, fmt, options)
verdicts = workbench.verdicts.verdicts(actor, [article_id])
if verdicts:
    st.markdown(f"Quality verdict ({md(verdicts[0].profile)}): **{md(verdicts[0].label)}**, "
                f"{md(verdicts[0].reason)}.")
    st.download_button("Download the verdicts of all articles (CSV)",
                       data=workbench.verdicts.verdicts_csv(actor), file_name="verdicts.csv",
                       mime="text/csv", key=f"{KEY}_verdicts")
preview = result.data[:4000].decode("utf-8", errors="replace")
st.code(preview + ("\n…" if len(result.data) > 4000 else ""), language=None, wrap_lines=True)
