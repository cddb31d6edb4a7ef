"""Pages for brokers, night coordinators and commissioners, served by the same app.

The pages are server-rendered Jinja2 templates in the GOV.UK Design System's
look. They call the service's own JSON API from the browser with the signed
session cookie; `session.SessionGuard` holds cookie-authenticated writes to a
CSRF token. Front-end libraries come from npm (``node_modules``), never a CDN.
"""

from app.pages.setup import install

__all__ = ["install"]
