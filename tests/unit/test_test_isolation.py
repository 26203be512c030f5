"""The test run never touches a database in the working directory."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from review.db.store import database_url
from tests.conftest import REPO_DIR


def test_the_default_database_lies_in_a_temporary_folder() -> None:
    """The suite used to write review.db into the checkout."""
    url = database_url()
    path = Path(url.removeprefix("sqlite:///")).resolve()
    assert url.startswith("sqlite:///")
    assert path.is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert not path.is_relative_to(REPO_DIR)
    assert not path.is_relative_to(Path(os.getcwd()).resolve())
