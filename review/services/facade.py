"""The one object pages and the command line call: every use case over one store."""

from __future__ import annotations

from review.services.accounts import AccountServices
from review.services.assignments import AssignmentServices
from review.services.audit_log import AuditLogServices
from review.services.blind import BlindServices
from review.services.dashboards import ReportServices
from review.services.editing import EditingServices
from review.services.exporting import ExportServices
from review.services.flagging import FlagServices
from review.services.imports import ImportServices
from review.services.invitations import InvitationServices
from review.services.jobs import JobServices
from review.services.library import LibraryServices
from review.services.queue_rating import QueueRatingServices
from review.services.ranking import RankingServices
from review.services.restructuring import SegmentOperations
from review.services.retranslation import RetranslationServices
from review.services.reviewer_overview import ReviewerOverviewServices
from review.services.scoring import ScoringServices
from review.services.sessions import SessionServices
from review.services.settings_store import SettingServices
from review.services.system_ranks import SystemRankServices
from review.services.verdicts import VerdictServices
from review.services.workspace import WorkspaceServices


class Workbench(SystemRankServices, QueueRatingServices, ReviewerOverviewServices,
                VerdictServices, BlindServices, InvitationServices, AuditLogServices,
                ImportServices, EditingServices, FlagServices, ScoringServices, ExportServices,
                LibraryServices, AccountServices, AssignmentServices, SettingServices,
                ReportServices, RankingServices, RetranslationServices, JobServices,
                WorkspaceServices, SegmentOperations, SessionServices):
    """The application's use cases over one store: what pages and the CLI call.

    Each group of use cases lives in its own module and shares only ``ServiceBase`` (the
    store, permission and audit helpers); none imports the façade, so there is no loop.
    A few build on others (``ReviewerOverviewServices`` on the attention, second-pass,
    rating and team ones, which build on ``FlagServices``) and bring them in.
    """
