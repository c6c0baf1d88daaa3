"""Request boundary rules: NUL in form fields and query strings, and the range of URL ids."""

from __future__ import annotations

from flask import Request
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

MAX_ID = 2**31 - 1  # primary keys are 32-bit integers


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
