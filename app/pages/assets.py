"""Static files: the pages' own JS and CSS, and the npm packages' dist folders."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.settings import PROJECT_ROOT

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
NODE_MODULES = PROJECT_ROOT / "node_modules"

# URL prefix -> folder under node_modules. Order matters: Starlette matches
# mounts in order, and govuk-frontend's CSS asks for its fonts at /assets/fonts.
NPM_MOUNTS = (
    ("/assets/govuk", "govuk-frontend/dist/govuk"),
    ("/assets/leaflet", "leaflet/dist"),
    ("/assets/swagger", "swagger-ui-dist"),
    ("/assets", "govuk-frontend/dist/govuk/assets"),
)


class FrontEndMissing(RuntimeError):
    """The npm packages the pages need are not installed."""


def mount_assets(app: FastAPI, node_modules: Path = NODE_MODULES) -> None:
    missing = [sub for _, sub in NPM_MOUNTS if not (node_modules / sub).is_dir()]
    if missing:
        raise FrontEndMissing(
            f"Expected the front-end packages under {node_modules}, missing {', '.join(missing)}. "
            "Run `npm ci` (make run and make test do it)."
        )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for prefix, sub in NPM_MOUNTS:
        app.mount(prefix, StaticFiles(directory=node_modules / sub), name=prefix.strip("/"))
