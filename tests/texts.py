"""Interface strings as a test expects to see them on a page."""

from django.utils.translation import gettext, override


def zh(msgid: str, **values) -> str:
    """An interface string as the Chinese page shows it (the catalog's translation, or the
    msgid itself until the catalog has it)."""
    with override("zh-hans"):
        text = gettext(msgid)
    return text % values if values else text
