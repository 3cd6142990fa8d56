"""``{{ obj|label:"field" }}`` (documents/templatetags/languages.py) gives what Django's
``get_<field>_display`` gives, in both languages, for every value and for a missing object."""

import pytest
from django.template import Context, Template
from django.utils import translation

from applications.models import Application, Status
from centers.models import CenterKind


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("status", [*Status.values, "no-such-state"])
def test_label_is_get_display(language, status):
    app = Application(status=status, kind=CenterKind.values[0])
    with translation.override(language):
        html = Template('{{ app|label:"status" }}|{{ app|label:"kind" }}').render(
            Context({"app": app})
        )
        assert html == f"{app.get_status_display()}|{app.get_kind_display()}"
    if status != "no-such-state" and language == "zh-hans":
        assert html.split("|")[0] != status  # a label, not the stored value


def test_a_missing_object_has_no_label():
    assert Template('[{{ app.panel|label:"status" }}]').render(Context({"app": None})) == "[]"
