"""Typed exceptions for storesync's error bodies.

Every error body carries a stable ``code`` (docs/api.md): the exception class is chosen by that code, so a caller
can tell "an analysis is already running" from "the circuit breaker tripped" without reading a message. A code this
client does not know yet falls back to the class of its HTTP status, then to :class:`StoreSyncError`.
"""

from __future__ import annotations

from typing import Any, Mapping


class StoreSyncError(Exception):
    """An error answer of the storesync API (or a transport failure, see :class:`StoreSyncConnectionError`)."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None, body: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.body: dict[str, Any] = dict(body or {})

    @property
    def fields(self) -> list[dict[str, str]]:
        """The fields a 400 names, as ``[{"field": ..., "message": ...}]``."""
        return list(self.body.get("fields") or [])

    @property
    def correlation_id(self) -> str | None:
        return self.body.get("correlation_id")

    def __str__(self) -> str:
        where = f"{self.status} {self.code}" if self.status is not None else (self.code or "error")
        return f"{where}: {self.message}"


class StoreSyncConnectionError(StoreSyncError):
    """The server could not be reached or did not answer in time."""


class ValidationError(StoreSyncError):
    """400: the request is malformed; :attr:`fields` names what is wrong."""


class UnauthorizedError(StoreSyncError):
    """401: no token, or a forged or expired one."""


class ForbiddenError(StoreSyncError):
    """403: the token may not do this (a user token outside its own user, or an admin-only route)."""


class NotFoundError(StoreSyncError):
    """404: the user, file, run, plan or quarantined key is not known."""


class MethodNotAllowedError(StoreSyncError):
    """405: the route exists, but not with this method."""


class ConflictError(StoreSyncError):
    """409: the request conflicts with the current state."""


class AnalysisRunningError(ConflictError):
    """409: an analysis with the same scope is already running; :attr:`run_id` is that run."""

    @property
    def run_id(self) -> str | None:
        return self.body.get("run_id")


class CircuitBreakerError(ConflictError):
    """409: the repair plan would remove a large share of a store; a person may pass ``force=True``."""


class PartialRunError(ConflictError):
    """409: the plan acts on issues found by a partial run (a store failed); :attr:`issue_ids` lists them."""

    @property
    def issue_ids(self) -> list[str]:
        return list(self.body.get("issue_ids") or [])


class PlanExpiredError(ConflictError):
    """409: the saved dry-run plan is too old to execute."""


class PayloadTooLargeError(StoreSyncError):
    """413: the body or upload is over the server's limit."""


class UnsupportedMediaTypeError(StoreSyncError):
    """415: the body is not of the type the route takes."""


class UnprocessableError(StoreSyncError):
    """422: the request is well-formed but cannot be carried out."""


class RateLimitedError(StoreSyncError):
    """429: too many requests."""


class StoreUnavailableError(StoreSyncError):
    """503: a store (or the service's own state store) is down or timed out; :attr:`store` names it."""

    @property
    def store(self) -> str | None:
        return self.body.get("store")


class ServerError(StoreSyncError):
    """500: an unexpected failure; the server logs the details under :attr:`correlation_id`."""


#: Each stable error code of the API, and the class raised for it.
ERROR_CLASSES: dict[str, type[StoreSyncError]] = {
    "validation_failed": ValidationError,
    "invalid_key": ValidationError,
    "invalid_s3_event": ValidationError,
    "invalid_request": ValidationError,
    "invalid_json": ValidationError,
    "json_too_deep": ValidationError,
    "invalid_cursor": ValidationError,
    "invalid_param": ValidationError,
    "unknown_field": ValidationError,
    "duplicate_field": ValidationError,
    "invalid_multipart": ValidationError,
    "invalid_selection": ValidationError,
    "not_quarantined": ValidationError,
    "unauthorized": UnauthorizedError,
    "forbidden": ForbiddenError,
    "not_found": NotFoundError,
    "feed_disabled": NotFoundError,
    "channel_not_found": NotFoundError,
    "delivery_not_found": NotFoundError,
    "method_not_allowed": MethodNotAllowedError,
    "conflict": ConflictError,
    "analysis_running": AnalysisRunningError,
    "circuit_breaker": CircuitBreakerError,
    "partial_run": PartialRunError,
    "plan_expired": PlanExpiredError,
    "restore_target_exists": ConflictError,
    "not_dead_letter": ConflictError,
    "payload_too_large": PayloadTooLargeError,
    "limit_exceeded": PayloadTooLargeError,
    "extraction_limit": UnprocessableError,
    "unsupported_media_type": UnsupportedMediaTypeError,
    "unprocessable": UnprocessableError,
    "rate_limited": RateLimitedError,
    "store_unavailable": StoreUnavailableError,
    "internal_error": ServerError,
}

#: The class for a status whose code this client does not know.
STATUS_CLASSES: dict[int, type[StoreSyncError]] = {
    400: ValidationError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableError,
    429: RateLimitedError,
    500: ServerError,
    503: StoreUnavailableError,
}


def error_for(status: int, body: Any) -> StoreSyncError:
    """The typed exception for an error answer: by ``code``, then by the 409's ``reason``, then by status."""
    data: dict[str, Any] = body if isinstance(body, dict) else {}
    code = data.get("code") if isinstance(data.get("code"), str) else None
    message = data.get("message")
    if isinstance(message, list):
        message = "; ".join(str(m) for m in message)
    if not isinstance(message, str) or not message:
        message = f"HTTP {status}"
    cls = ERROR_CLASSES.get(code or "")
    if cls is None or cls is ConflictError:
        # Before every error carried its own code, a 409 said which conflict in `reason` (or by its `run_id`).
        reason = data.get("reason")
        if isinstance(reason, str) and reason in ERROR_CLASSES:
            cls = ERROR_CLASSES[reason]
        elif status == 409 and "run_id" in data:
            cls = AnalysisRunningError
    if cls is None:
        cls = STATUS_CLASSES.get(status) or (ServerError if status >= 500 else StoreSyncError)
    return cls(message, status=status, code=code, body=data)
