"""Model retranslation of articles, with a cache in the store."""

from __future__ import annotations

from review.service_base import ServiceBase


class RetranslationServices(ServiceBase):
    """Model retranslation of articles, with a cache in the store."""
