"""Import one year's holiday arrangement from a CSV file (``date,kind,name``).

All or nothing: every row is validated first and a single bad row imports
nothing. Importing the same file again changes nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from workdays import services
from workdays.importing import UndecodableFile, decode, parse_csv


class Command(BaseCommand):
    help = (
        "Import a year's holidays (kind=holiday, on weekdays) and weekend make-up working days "
        "(kind=workday) from a CSV with the columns date,kind,name."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", help="path of the CSV file (UTF-8 or GB18030)")
        parser.add_argument(
            "--year", type=int, help="the year the file is for (every date must be in it)"
        )
        parser.add_argument(
            "--complete",
            action="store_true",
            help="mark the year complete after the import (deadlines in it can then be computed)",
        )
        parser.add_argument(
            "--source",
            default="",
            help="the source, e.g. the title and number of the State Council General Office notice",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="remove the year's stored days that are not in the file",
        )
        parser.add_argument(
            "--by", default="", help="username recorded as the actor in the audit log"
        )

    def handle(self, *args, **options):
        path = Path(options["csv"])
        try:
            text = decode(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"无法读取文件{path}：{exc.strerror or exc}") from exc
        except UndecodableFile as exc:
            raise CommandError(f"{path.name}：{exc}未导入任何数据。") from exc
        actor = None
        if options["by"]:
            actor = get_user_model().objects.filter(username=options["by"]).first()
            if actor is None:
                raise CommandError(f"用户“{options['by']}”不存在。")

        parsed = parse_csv(text, year=options["year"])
        if parsed.errors:
            lines = [f"{path.name}：{len(parsed.errors)}处错误，未导入任何数据。", *parsed.errors]
            raise CommandError("\n".join(lines))

        source = options["source"] or f"CSV导入：{path.name}"
        try:
            result = services.import_days(
                actor=actor,
                year=parsed.year,
                rows=parsed.rows,
                source=source,
                year_source=options["source"],
                complete=options["complete"],
                replace=options["replace"],
                file_name=path.name,
            )
        except services.CalendarError as exc:
            raise CommandError(f"{path.name}：{exc}未导入任何数据。") from exc

        out = self.stdout
        out.write(
            f"{result.year}年：新增{len(result.added)}天，更新{len(result.changed)}天，"
            f"未变{len(result.unchanged)}天，删除{len(result.removed)}天。"
        )
        if result.not_in_file:
            out.write(
                f"数据库中另有{len(result.not_in_file)}天不在文件中，已保留"
                f"（{'、'.join(result.not_in_file)}）；如需删除请加 --replace。"
            )
        if result.completed:
            out.write(self.style.SUCCESS(f"{result.year}年已标记为完整，可用于计算工作日。"))
        elif result.complete:
            out.write(f"{result.year}年此前已标记为完整。")
        else:
            out.write(
                self.style.WARNING(
                    f"{result.year}年尚未标记为完整，涉及该年的工作日计算仍会报错；"
                    "核对无误后请加 --complete 重新导入，或在管理后台勾选“完整”。"
                )
            )
        if not result.changed_anything:
            out.write("没有任何变化。")
