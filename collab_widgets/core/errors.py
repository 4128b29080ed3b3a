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


class ScoreFileError(InvalidInput):
    """A score file cannot be imported. Carries where (the row as a spreadsheet numbers
    it, the header being row 1; the column's name) and a plain-language way to fix it."""

    def __init__(
        self, problem: str, fix: str, *, row: int | None = None, column: str | None = None
    ):
        places = []
        if row is not None:
            places.append(f"row {row}")
        if column is not None:
            places.append(f"column “{column}”")
        where = f"In {', '.join(places)}: " if places else ""
        super().__init__(f"{where}{problem} {fix}", field=column)
        self.problem = problem
        self.fix = fix
        self.row = row
        self.column = column


class EditConflict(CollabError):
    """A shared text was changed by someone else since the visitor's page read it: the
    save would overwrite their words unseen, so it is refused. ``theirs`` is the text
    the store holds now, for the page to show beside the visitor's own."""

    def __init__(self, theirs: str):
        super().__init__(
            "Someone else changed this text while you were typing. Both versions are shown: "
            "keep yours or take theirs."
        )
        self.theirs = theirs
