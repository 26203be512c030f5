"""Use cases. Each takes the acting user, checks its permission, and runs in one transaction.

Pages and the command line call :class:`Workbench` and nothing below it, so validation,
permissions and transactions are the same everywhere. One module per group of use cases;
shared helpers (``base``, ``views``, ``checking``, ``pair_stats``, ``report_data``) sit below
them and never import a use-case module.
"""

from review.services.exporting import ExportResult
from review.services.facade import Workbench
from review.services.imports import ImportReport

__all__ = ["ExportResult", "ImportReport", "Workbench"]
