"""The FastAPI application factory: routers, and error bodies that never echo input.

`create_app(engine)` keeps no module-level state; the engine and clock live on `app.state`
and every request opens its own transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.protocol import PROTOCOL_VERSION
from sync.server import (
    admin_routes,
    auth_routes,
    blob_routes,
    bundle_routes,
    calendar_routes,
    capaian_routes,
    device_routes,
    final_push_routes,
    me_routes,
    reference_routes,
    sync_routes,
)
from sync.server.deps import ApiError

MAX_BODY_BYTES = 8 * 1024 * 1024


def create_app(engine: Engine, clock: Callable[[], float] = time.time) -> FastAPI:
    """The server app over `engine` (already at the latest schema, see `db.open_database`)."""
    app = FastAPI(
        title="asndesk sync server", version=str(PROTOCOL_VERSION),
        # Every route may answer these, with the generic body {"error": code}.
        responses={400: {"description": "Malformed request"},
                   413: {"description": "Body too large"},
                   422: {"description": "Invalid request"}},
    )
    app.state.engine = engine
    app.state.clock = clock
    app.include_router(device_routes.router)
    app.include_router(auth_routes.router)
    app.include_router(sync_routes.router)
    app.include_router(final_push_routes.router)
    app.include_router(admin_routes.router)
    app.include_router(me_routes.router)
    app.include_router(blob_routes.router)
    app.include_router(bundle_routes.router)
    app.include_router(reference_routes.router)
    app.include_router(calendar_routes.router)
    app.include_router(capaian_routes.router)

    @app.middleware("http")
    async def _limit_body(request: Request, call_next: Any) -> Any:
        # Refuse oversized bodies before reading them (roster files, pushes are far smaller).
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse({"error": "too_large"}, 413)
        return await call_next(request)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.code, **exc.extra}, exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, _exc: RequestValidationError) -> JSONResponse:
        # FastAPI's default body echoes the input back (it may hold a password): never.
        return JSONResponse({"error": "invalid_request"}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if exc.status_code == 404 else "http_error"
        return JSONResponse({"error": code}, exc.status_code)

    @app.exception_handler(Exception)
    async def _crash(_request: Request, _exc: Exception) -> JSONResponse:
        return JSONResponse({"error": "internal"}, 500)

    return app
