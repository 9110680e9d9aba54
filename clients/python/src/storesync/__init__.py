"""storesync's Python client: the REST API (sync and async) and the live event stream.

    from storesync import StoreSync, SyncEventType
    sync_service = StoreSync("http://localhost:3000", token)
    report = sync_service.get_sync_report("user123")
"""

from .client import AsyncStoreSync, StoreSync
from .errors import (
    ERROR_CLASSES,
    AnalysisRunningError,
    CircuitBreakerError,
    ConflictError,
    ForbiddenError,
    MethodNotAllowedError,
    NotFoundError,
    PartialRunError,
    PayloadTooLargeError,
    PlanExpiredError,
    RateLimitedError,
    ServerError,
    StoreSyncConnectionError,
    StoreSyncError,
    StoreUnavailableError,
    UnauthorizedError,
    UnprocessableError,
    UnsupportedMediaTypeError,
    ValidationError,
    error_for,
)
from .events import SyncEvent, SyncEventType
from .realtime import RealtimeSync

__all__ = [
    "StoreSync",
    "AsyncStoreSync",
    "RealtimeSync",
    "SyncEvent",
    "SyncEventType",
    "StoreSyncError",
    "StoreSyncConnectionError",
    "ValidationError",
    "UnauthorizedError",
    "ForbiddenError",
    "NotFoundError",
    "MethodNotAllowedError",
    "ConflictError",
    "AnalysisRunningError",
    "CircuitBreakerError",
    "PartialRunError",
    "PlanExpiredError",
    "PayloadTooLargeError",
    "UnsupportedMediaTypeError",
    "UnprocessableError",
    "RateLimitedError",
    "StoreUnavailableError",
    "ServerError",
    "ERROR_CLASSES",
    "error_for",
]
__version__ = "0.1.0"
