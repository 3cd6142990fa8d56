"""Demo: leave the administrator a visible to-do — 2027 exists but is not entered yet. Idempotent."""

from . import services
from .models import Year

NOTE = (
    "演示：2027年的节假日安排尚未录入。请按《国务院办公厅关于2027年部分节假日安排的通知》"
    "录入放假日和调休上班日（或用 import_workdays 导入CSV），核对后勾选“完整”。"
)


def seed(ctx):
    if Year.objects.filter(year=2027).exists():
        return  # never touch a year someone has started to enter
    services.year_save(actor=None, year=2027, note=NOTE)
