"""Hypothesis leaves nothing in the working tree: no example database, and its own files (its
cache of constants) in a temporary folder removed at the end. Imported by tests/conftest.py."""

import atexit
import shutil
import tempfile

from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

_HOME = tempfile.mkdtemp(prefix="hypothesis-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
set_hypothesis_home_dir(_HOME)
settings.register_profile("no_database", database=None)
settings.load_profile("no_database")
