"""Errors a person can act on. Each carries a plain-language message for the page."""


class CollabError(Exception):
    """Base class: ``str(error)`` is shown to the visitor as it is."""


class InvalidInput(CollabError):
    """Something typed or uploaded cannot be used; the message says how to fix it."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class AccessDenied(CollabError):
    """A code is wrong or has been rotated, or the action is not allowed for this visitor."""


class NotFound(CollabError):
    """The thing asked for does not exist (any more) in this team."""


class StoreUnavailable(CollabError):
    """The database cannot be opened or written."""
