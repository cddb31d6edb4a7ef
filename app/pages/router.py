"""The pages' routes. Each page is a template; the data comes from the JSON API in the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from app.deps import SessionDep
from app.errors import sign_in_url
from app.pages import session as pages_session
from app.security import Principal, Role, principal_for_id, principal_for_key

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")

router = APIRouter(include_in_schema=False)


class SignInRequired(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class PageForbidden(Exception):
    def __init__(self, principal: Principal, title: str) -> None:
        super().__init__(title)
        self.principal = principal
        self.title = title


# (path, label, roles that see it); admin sees everything.
PAGES: tuple[tuple[str, str, frozenset[Role]], ...] = (
    ("/map", "Zone map", frozenset(Role)),
    ("/referrals/new", "New referral", frozenset({Role.brokerage})),
    ("/referrals", "Referrals", frozenset({Role.brokerage})),
    ("/week", "This week", frozenset({Role.brokerage, Role.commissioner})),
    ("/tonight", "Tonight", frozenset({Role.night_coordinator})),
    ("/night-users", "Night users", frozenset({Role.night_coordinator})),
    ("/reports", "Reports", frozenset({Role.commissioner})),
)
ALLOCATING_ROLES = (Role.brokerage, Role.discharge_system, Role.night_coordinator)


def _safe_next(path: str | None) -> str | None:
    # Only a path on this site: no scheme, no host, no "//" or "/\" tricks.
    if path and path.startswith("/") and not path.startswith(("//", "/\\")):
        return path
    return None


def _home(principal: Principal) -> str:
    if principal.role is Role.night_coordinator:
        return "/tonight"
    if principal.role is Role.commissioner:
        return "/week"
    return "/map"


def signed_in(request: Request, db: SessionDep) -> Principal:
    key_id = request.session.get("key_id")
    principal = principal_for_id(db, int(key_id)) if key_id is not None else None
    if principal is None:
        request.session.pop("key_id", None)
        raise SignInRequired(sign_in_url(request))
    return principal


SignedIn = Annotated[Principal, Depends(signed_in)]


def page(path: str) -> Any:
    """``Principal`` annotated with a check admitting the roles that may see ``path``."""
    title, roles = next((label, roles) for p, label, roles in PAGES if p == path)

    def check(principal: SignedIn) -> Principal:
        if not principal.may(*roles):
            raise PageForbidden(principal, title)
        return principal

    return Annotated[Principal, Depends(check)]


MapViewer = page("/map")
Referrer = page("/referrals/new")
Broker = page("/referrals")
ReportsViewer = page("/reports")
NightCoordinator = page("/tonight")
NightUsersViewer = page("/night-users")
WeekViewer = page("/week")


def render(
    request: Request,
    template: str,
    principal: Principal | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    settings = request.app.state.settings
    nav = [
        {"path": p, "label": label, "current": request.url.path == p}
        for p, label, roles in PAGES
        if principal is not None and principal.may(*roles)
    ]
    return TEMPLATES.TemplateResponse(
        request,
        f"pages/{template}",
        {
            "principal": principal,
            "nav": nav,
            "csrf_token": pages_session.csrf_token(request.session),
            "may_allocate": principal is not None and principal.may(*ALLOCATING_ROLES),
            "tile_url": settings.tile_url,
            "tile_attribution": settings.tile_attribution,
            "council_name": request.app.state.area.council.name,
            **context,
        },
        status_code=status_code,
    )


def not_found_page(request: Request) -> HTMLResponse:
    """A mistyped page address, as a page rather than the API's JSON (no menu: the
    session is not read for an address that matches no page)."""
    return render(request, "not_found.html", None, status_code=404, title="Page not found")


def forbidden_page(request: Request, exc: PageForbidden) -> HTMLResponse:
    return render(request, "forbidden.html", exc.principal, status_code=403, title=exc.title)


@router.get("/")
def home(principal: SignedIn) -> RedirectResponse:
    return RedirectResponse(_home(principal), status_code=303)


SIGN_IN_ERROR = "sign_in_error"


@router.get("/sign-in")
def sign_in_form(request: Request, next: str | None = None) -> HTMLResponse:
    # A refused sign-in redirects here with its message in the session (Post/Redirect/
    # Get), so the browser's Back button never offers to send the form again.
    error = request.session.pop(SIGN_IN_ERROR, None)
    return render(request, "sign_in.html", None, error=error, next=_safe_next(next) or "")


@router.post("/sign-in")
def sign_in(
    request: Request,
    db: SessionDep,
    api_key: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    if not pages_session.token_matches(request.session, csrf_token):
        return render(
            request,
            "sign_in.html",
            None,
            status_code=403,
            error="The sign-in form had expired. Enter your API key again",
            next=_safe_next(next) or "",
        )
    key = api_key.strip()
    principal = principal_for_key(db, key) if key else None
    if principal is None:
        error = "Enter your API key" if not key else "The API key is not known, or was revoked"
        request.session[SIGN_IN_ERROR] = error
        back = _safe_next(next)
        return RedirectResponse(
            f"/sign-in?next={quote(back)}" if back else "/sign-in", status_code=303
        )
    pages_session.start(request.session, principal.key_id)
    return RedirectResponse(_safe_next(next) or _home(principal), status_code=303)


@router.post("/sign-out")
def sign_out(
    request: Request, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> RedirectResponse:
    pages_session.check_form_token(request, csrf_token)
    pages_session.end(request)
    return RedirectResponse("/sign-in?signed_out=1", status_code=303)


@router.get("/map")
def zone_map(request: Request, principal: MapViewer) -> HTMLResponse:
    return render(request, "map.html", principal, title="Zone map")


@router.get("/referrals/new")
def new_referral(request: Request, principal: Referrer) -> HTMLResponse:
    return render(request, "referral.html", principal, title="New referral")


@router.get("/referrals")
def referrals(request: Request, principal: Broker) -> HTMLResponse:
    return render(request, "referrals.html", principal, title="Referrals")


@router.get("/referrals/{referral_id:int}")
def referral_record(request: Request, principal: Broker, referral_id: int) -> HTMLResponse:
    # The page reads the referral from the API; an unknown id is said there.
    return render(
        request, "referral_record.html", principal, title="Referral", referral_id=referral_id
    )


@router.get("/reports")
def reports(request: Request, principal: ReportsViewer) -> HTMLResponse:
    return render(request, "reports.html", principal, title="Reports")


@router.get("/tonight")
def tonight(request: Request, principal: NightCoordinator) -> HTMLResponse:
    return render(request, "tonight.html", principal, title="Tonight")


@router.get("/tonight/print")
def tonight_print(request: Request, principal: NightCoordinator) -> HTMLResponse:
    return render(request, "tonight_print.html", principal, title="Run sheets")


@router.get("/week")
def this_week(request: Request, principal: WeekViewer) -> HTMLResponse:
    # Commissioners read the payable-hours report; brokers the ledger, where they record
    # delivered hours. Admin may do both.
    return render(
        request,
        "week.html",
        principal,
        title="This week",
        can_report=principal.may(Role.commissioner),
        can_ledger=principal.may(Role.brokerage),
    )


@router.get("/night-users")
def night_users(request: Request, principal: NightUsersViewer) -> HTMLResponse:
    return render(request, "night_users.html", principal, title="Night service users")
