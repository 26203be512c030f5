"""The one object pages and the command line hold: every group of use cases, composed.

Each group is a service built here with what it needs (the store, the one ``Access`` rule,
and the few other services it builds on), so a call reads as what it does:
``workbench.editing.save_segment(...)``, ``workbench.reports.mqm_report(...)``.
"""

from __future__ import annotations

from review.db.store import Store
from review.services.access import Access
from review.services.accounts import AccountServices
from review.services.assignments import AssignmentServices
from review.services.attention import AttentionServices
from review.services.audit_log import AuditLogServices
from review.services.campaigns import CampaignServices
from review.services.dashboards import ReportServices
from review.services.editing import EditingServices
from review.services.exporting import ExportServices
from review.services.flagging import FlagServices
from review.services.imports import ImportServices
from review.services.invitations import InvitationServices
from review.services.jobs import JobServices
from review.services.library import LibraryServices
from review.services.logins import LoginServices
from review.services.ranking import RankingServices
from review.services.ratings import RatingServices
from review.services.reading import ReadingServices
from review.services.restructuring import SegmentOperations
from review.services.retranslation import RetranslationServices
from review.services.reviewer_overview import ReviewerOverviewServices
from review.services.scoring import ScoringServices
from review.services.second_pass import SecondPassServices
from review.services.sessions import SessionServices
from review.services.settings_store import SettingServices
from review.services.team import TeamServices
from review.services.verdicts import VerdictServices
from review.services.workspace import WorkspaceServices


class Workbench:
    """The application's use cases over one store, grouped by what they are for."""

    def __init__(self, store: Store) -> None:
        self.store = store
        access = Access()
        self.access = access
        self.settings = SettingServices(store, access)
        self.accounts = AccountServices(store, access)
        self.logins = LoginServices(store, access)
        self.sessions = SessionServices(store, access)
        self.invitations = InvitationServices(store, access)
        self.library = LibraryServices(store, access)
        self.reading = ReadingServices(store, access)
        self.jobs = JobServices(store, access)
        self.imports = ImportServices(store, access, self.reading, self.jobs.queue_checks)
        self.flags = FlagServices(store, access)
        self.editing = EditingServices(store, access)
        self.segments = SegmentOperations(store, access)
        self.workspace = WorkspaceServices(store, access, self.editing)
        self.scoring = ScoringServices(store, access)
        self.exports = ExportServices(store, access, self.reading)
        self.retranslation = RetranslationServices(store, access)
        self.ranking = RankingServices(store, access)
        self.reports = ReportServices(store, access)
        self.assignments = AssignmentServices(store, access)
        self.team = TeamServices(store, access)
        self.audit = AuditLogServices(store, access)
        self.ratings = RatingServices(store, access)
        self.attention = AttentionServices(store, access, self.flags, self.ratings)
        self.second_pass = SecondPassServices(store, access, self.flags, self.reports)
        self.verdicts = VerdictServices(store, access, self.reports)
        self.campaigns = CampaignServices(store, access, self.imports)
        self.overview = ReviewerOverviewServices(store, access, self.team, self.attention,
                                                 self.ratings, self.second_pass)
