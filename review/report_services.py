"""Reports across articles: MQM, risk ranking, dashboards."""

from __future__ import annotations

from review.service_base import ServiceBase


class ReportServices(ServiceBase):
    """Reports across articles: MQM, risk ranking, dashboards."""
