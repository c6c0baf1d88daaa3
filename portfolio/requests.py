"""Request boundary rules: NUL in form fields and query strings, the range of ids in URLs and
forms, and page numbers in the address."""

from __future__ import annotations

from flask import Request, request
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

MAX_ID = 2**31 - 1  # primary keys are 32-bit integers
MAX_PAGE = 10**6  # far past any list's end, and an offset every database can take


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ids beyond 32 bits never match, so they answer 404.

    Without this, 2**63 and above overflow the database driver (a 500) on any route whose
    view does not check the range itself.
    """

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _without_nul(values, storage_class):
    if not any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
        return values
    return storage_class([(key.replace("\x00", ""), value.replace("\x00", ""))
                          for key, value in values.items(multi=True)])


class PortfolioRequest(Request):
    """Drop NUL characters from form fields and query strings before any view sees them.

    PostgreSQL refuses NUL in text (SQLite would store it), no one types one on purpose, and
    doing it here keeps the rule the same for every form on both databases.
    """

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"], self.parameter_storage_class)

    @cached_property
    def args(self):
        return _without_nul(super().args, self.parameter_storage_class)


def page_number(value: str | None) -> int:
    """A list page from the address: 1 for anything but whole digits, at most MAX_PAGE."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    digits = text.lstrip("0")
    if len(digits) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(int(digits or "0"), 1), MAX_PAGE)


def page_arg(name: str = "page") -> int:
    """The page number the current request asks for (`?page=`), kept within range."""
    return page_number(request.args.get(name))


def whole_number(value, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """A submitted whole number (ASCII digits) from low to high, or None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > len(str(high)):
            return None
        number = int(text)
    return number if low <= number <= high else None


def is_database_id(value) -> bool:
    """An int a primary key or version number could be (1 to MAX_ID): a larger number in a
    URL names nothing, and must answer 404 rather than a database error."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def database_id(value) -> int:
    """Coerce a submitted id to int, refusing (ValueError) anything no row could have.

    Use as `coerce=` of a select or checkbox field, so an out-of-range id becomes the field's
    error instead of a database overflow, and the rest of the form is kept.
    """
    number = whole_number(value, low=1)
    if number is None:
        raise ValueError(f"{str(value)[:20]!r} is not an id")
    return number
