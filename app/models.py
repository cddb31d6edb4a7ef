"""Every table, imported in one place so Alembic and the app see the same metadata."""

from __future__ import annotations

from app.night import models as night_models  # noqa: F401  (night users, visits, plans)
from app.pages import models as page_models  # noqa: F401  (signed-out sessions)
from app.referrals import models as referral_models  # noqa: F401  (referrals, ledger, audit)
from app.security import ApiKey

__all__ = ["ApiKey"]
