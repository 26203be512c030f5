"""``python -m review``: the command line."""

from review.cli.main import main

raise SystemExit(main())
