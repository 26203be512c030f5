"""Long-lived objects per server process: the store/services, and cached read models."""

from __future__ import annotations

import os

import streamlit as st

from review.accounts.permissions import Actor
from review.db.store import open_store
from review.seed import seed_samples
from review.services import Workbench
from review.worker.embedded import start_embedded


@st.cache_resource(show_spinner=False)
def workbench_for(url: str | None = None) -> Workbench:
    """One Workbench per database URL; an empty database gets the samples on first start."""
    workbench = Workbench(open_store(url))
    if os.environ.get("REVIEW_SEED", "1") != "0":
        seed_samples(workbench)
    start_embedded(workbench.store)  # the embedded default runs its jobs in the app
    return workbench


def get_workbench() -> Workbench:
    return workbench_for(os.environ.get("REVIEW_DATABASE_URL"))


@st.cache_data(show_spinner=False, max_entries=32)
def article_scores(_workbench: Workbench, actor: Actor, article_id: int, version: str):  # noqa: ANN201
    """Article scores, recomputed only when the article's data version changes."""
    return _workbench.scoring.score_article(actor, article_id)


@st.cache_resource(show_spinner=False, max_entries=4)
def translator(name: str):  # noqa: ANN201
    """A loaded translation model, shared by every session of this server process."""
    from review.services.retranslation import translator_for

    return translator_for(name)
