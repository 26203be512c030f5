"""Campaign calls for the permission matrix: a fresh spec per call, and one campaign per
article made before the first role's call so a refused status call adds no audit event."""

from __future__ import annotations

from itertools import count

from review.accounts.permissions import SYSTEM_ACTOR
from review.services import Workbench
from review.services.campaign_file import ArticleRef, CampaignSpec

FRESH = count(1)
MADE: dict[tuple[int, int], str] = {}


def spec(article_id: int) -> CampaignSpec:
    n = next(FRESH)
    return CampaignSpec(f"campaign {n}", [ArticleRef(id=article_id)], [f"camp-{n}"],
                        "rating", 0.2, "loud")


def made(bench: Workbench, article_id: int) -> str:
    key = (id(bench.store), article_id)
    if key not in MADE:
        MADE[key] = bench.campaigns.create_campaign(SYSTEM_ACTOR, spec(article_id)).name
    return MADE[key]
