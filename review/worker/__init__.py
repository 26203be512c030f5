"""Runs jobs: the worker loop (``python -m review worker`` or embedded in the app), the
tasks it executes through the Workbench, and the translators it keeps loaded."""
