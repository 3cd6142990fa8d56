"""What a browser submits for a form, read from the rendered HTML.

``form_data(html, button=...)`` parses the page the way a browser builds the form data set:
enabled controls with a name; text inputs' ``value``; checked checkboxes and radios only;
the selected options of a select (the first option when none is selected); textareas'
text; the pressed submit button. Values an HTML5 input type rejects are sanitized to
empty, as the browser does: a ``<input type="date" value="2026/01/15">`` submits ``""``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VALID = {
    "date": re.compile(r"^\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"),
    "datetime-local": re.compile(
        r"^\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?$"
    ),
    "time": re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?$"),
    "month": re.compile(r"^\d{4,}-(0[1-9]|1[0-2])$"),
    "number": re.compile(r"^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$"),
    "range": re.compile(r"^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$"),
}
NOT_SUBMITTED = {"submit", "button", "image", "reset", "file"}


def sanitize(input_type: str, value: str) -> str:
    """The HTML value sanitization algorithm for the types that have one."""
    if input_type in ("text", "search", "tel", "password", "hidden", ""):
        return value if input_type == "hidden" else value.replace("\r", "").replace("\n", "")
    if input_type in ("email", "url"):
        return value.replace("\r", "").replace("\n", "").strip()
    pattern = VALID.get(input_type)
    if pattern is not None and not pattern.match(value):
        return ""
    return value


@dataclass
class Form:
    attrs: dict
    controls: list = field(default_factory=list)  # (tag, attrs, text/options)
    buttons: list = field(default_factory=list)

    def data(self, button: str | None = None) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for tag, attrs, extra in self.controls:
            name = attrs.get("name")
            if not name or "disabled" in attrs:
                continue
            if tag == "textarea":
                text = extra[0] if extra else ""
                pairs.append((name, text[1:] if text.startswith("\n") else text))
            elif tag == "select":
                options = extra
                chosen = [o for o in options if "selected" in o[0]]
                if not chosen and options and "multiple" not in attrs:
                    chosen = [options[0]]
                for oattrs, text in chosen:
                    pairs.append((name, oattrs.get("value", text.strip())))
            else:
                kind = (attrs.get("type") or "text").lower()
                if kind in NOT_SUBMITTED:
                    continue
                if kind in ("checkbox", "radio"):
                    if "checked" in attrs:
                        pairs.append((name, attrs.get("value", "on")))
                    continue
                pairs.append((name, sanitize(kind, attrs.get("value", ""))))
        if button is not None:
            for attrs in self.buttons:
                if attrs.get("name") == button:
                    pairs.append((button, attrs.get("value", "")))
                    break
            else:
                raise AssertionError(f"no submit button named {button!r} in the form")
        return pairs

    def field_names(self) -> set[str]:
        return {a.get("name") for _t, a, _e in self.controls if a.get("name")}

    def inputs_of_type(self, input_type: str) -> list[dict]:
        return [
            a
            for t, a, _e in self.controls
            if t == "input" and (a.get("type") or "text").lower() == input_type
        ]


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select = None
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.current = Form(attrs)
            self.forms.append(self.current)
            return
        if self.current is None:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "image"):
                self.current.buttons.append(attrs)
            self.current.controls.append(("input", attrs, None))
        elif tag == "button":
            if (attrs.get("type") or "submit").lower() == "submit":
                self.current.buttons.append(attrs)
        elif tag == "select":
            self.select = ("select", attrs, [])
            self.current.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = [attrs, ""]
            self.select[2].append(self.option)
        elif tag == "textarea":
            self.textarea = ("textarea", attrs, [""])
            self.current.controls.append(self.textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
            if self.current is not None:
                last = self.current.controls[-1]
                self.current.controls[-1] = (last[0], last[1], [tuple(o) for o in last[2]])
        elif tag == "option":
            self.option = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[2][0] += data
        elif self.option is not None:
            self.option[1] += data


def forms_of(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field_name: str | None = None, *, button: str | None = None) -> Form:
    """The one form of the page with a control ``field_name`` and a submit button ``button``."""
    found = [
        f
        for f in forms_of(html)
        if (field_name is None or field_name in f.field_names())
        and (button is None or any(b.get("name") == button for b in f.buttons))
    ]
    assert len(found) == 1, f"{len(found)} forms have a field {field_name!r}/button {button!r}"
    return found[0]


def form_data(
    html: str, field_name: str | None = None, *, button: str | None = None
) -> dict[str, list[str]]:
    """The data a browser posts from that form, pressing ``button`` (a QueryDict-like dict)."""
    out: dict[str, list[str]] = {}
    for name, value in form_with(html, field_name, button=button).data(button):
        out.setdefault(name, []).append(value)
    return out


def submit(client, url: str, field_name: str | None = None, *, button: str | None = None):
    """GET ``url``, then post that form unchanged to its ``action`` (the page itself if none)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    form = form_with(page.content.decode(), field_name, button=button)
    data: dict[str, list[str]] = {}
    for name, value in form.data(button):
        data.setdefault(name, []).append(value)
    return client.post(form.attrs.get("action") or url, data)
