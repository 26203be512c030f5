"""Long work (retranslation, scoring, QA checks, big imports, model downloads) as jobs.

The ``jobs`` table is the truth that pages and the command line read; the task queue (Huey,
on SQLite by default, Redis or PostgreSQL for a team) only carries job ids to workers.
"""
