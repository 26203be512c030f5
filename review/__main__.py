"""``python -m review``: the command line."""

from review.cli import main

raise SystemExit(main())
