"""Find the forms on a page with html.parser, and fill them the way a browser would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

TEXT_INPUT_TYPES = {"text", "email", "url", "search", "tel", "password", ""}


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, default value)
    text_fields: list[str] = field(default_factory=list)
    file_fields: list[str] = field(default_factory=list)
    hidden_fields: list[str] = field(default_factory=list)  # server state: locks, tokens
    submit: list[tuple[str, str]] = field(default_factory=list)


class FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._textarea_text: list[str] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen: str | None = None

    def handle_starttag(self, tag, attrs):
        attr = {key: (value or "") for key, value in attrs}
        if tag == "form":
            self._form = Form(action=attr.get("action") or self.page_url,
                              method=(attr.get("method") or "get").lower(),
                              enctype=attr.get("enctype", ""))
            self.forms.append(self._form)
        if self._form is None or "disabled" in attr:
            return
        name = attr.get("name")
        if tag == "input" and name:
            self._input(name, attr)
        elif tag == "button" and name:
            self._form.submit.append((name, attr.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, []
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, None
        elif tag == "option" and self._select:
            value = attr.get("value", "")
            if self._select_first is None and value:
                self._select_first = value
            if "selected" in attr:
                self._select_chosen = value

    def _input(self, name, attr):
        kind = attr.get("type", "text").lower()
        value = attr.get("value", "")
        if kind in TEXT_INPUT_TYPES:
            self._form.fields.append((name, value))
            self._form.text_fields.append(name)
        elif kind == "file":
            self._form.file_fields.append(name)
        elif kind in ("checkbox", "radio"):
            if "checked" in attr:
                self._form.fields.append((name, value or "y"))
        elif kind == "submit":
            self._form.submit.append((name, value))
        else:  # hidden, number, date, ...
            self._form.fields.append((name, value))
            if kind == "hidden":
                self._form.hidden_fields.append(name)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea_text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._textarea_text)))
            self._form.text_fields.append(self._textarea)
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = self._select_chosen if self._select_chosen is not None else self._select_first
            self._form.fields.append((self._select, chosen or ""))
            self._select = None


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return [form for form in parser.forms if form.method == "post"]


def filled(form: Form, value: str) -> MultiDict:
    """The form's fields with every text field set to `value`, plus its first submit button."""
    data = [(name, value if name in form.text_fields and name != "csrf_token" else default)
            for name, default in form.fields]
    return MultiDict(data + form.submit[:1])
