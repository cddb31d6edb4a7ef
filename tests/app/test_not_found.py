"""A mistyped page address is a page for a browser; the API's 404s stay JSON."""

from __future__ import annotations

from fastapi.testclient import TestClient

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def test_a_mistyped_page_address_is_a_page(sqlite_client: TestClient) -> None:
    for path in ("/referrals/abc", "/referrals/-1", "/no-such-page"):
        answer = sqlite_client.get(path, headers=HTML)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"].startswith("text/html")
        assert '<h1 class="govuk-heading-l">Page not found</h1>' in answer.text
        assert 'href="/"' in answer.text


def test_the_api_and_assets_keep_json_404s(sqlite_client: TestClient) -> None:
    for path, headers in (
        ("/v1/no-such-thing", HTML),
        ("/static/js/no-such.js", HTML),
        ("/no-such-page", {"Accept": "application/json"}),
    ):
        answer = sqlite_client.get(path, headers=headers)
        assert answer.status_code == 404, path
        assert answer.json()["error"]["code"] == "not_found", path
