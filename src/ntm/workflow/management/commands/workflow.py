"""`ntm workflow stages [--set ID]`: the recognition stages of each criteria set."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.workflow.stages import NoProcedureError, procedure_for_set, procedures


class Command(BaseCommand):
    help = "Quy trình xét, công nhận: liệt kê các bước theo bộ tiêu chí."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        stages = sub.add_parser("stages", help="liệt kê các bước của từng bộ tiêu chí")
        stages.add_argument("--set", dest="set_id", default="", help="chỉ một bộ tiêu chí")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            set_ids = [options["set_id"]] if options["set_id"] else sorted(procedures())
            for set_id in set_ids:
                self._show(set_id)
        except NoProcedureError as exc:
            raise CommandError(str(exc)) from None

    def _show(self, set_id: str) -> None:
        procedure = procedure_for_set(set_id)
        flags = [
            *(["tạm áp dụng"] if procedure.provisional else []),
            *(["trình tự chưa xác nhận văn bản"] if not procedure.confirmed else []),
        ]
        flag = f" ({'; '.join(flags)})" if flags else ""
        self.stdout.write(f"{set_id}: {procedure.title}{flag}")
        self.stdout.write(f"  Căn cứ: {procedure.sources[set_id]}")
        for n, stage in enumerate(procedure.stages, start=1):
            notes = []
            if stage.kind == "appraisal":
                notes.append("thẩm định từng tiêu chí")
            if stage.kind == "decision":
                notes.append("ghi quyết định")
            if stage.edits_values:
                notes.append("được sửa số liệu")
            if stage.requires_district:
                notes.append("chỉ khi xã thuộc huyện")
            extra = f" [{'; '.join(notes)}]" if notes else ""
            self.stdout.write(f"  {n}. {stage.code:<20} {stage.name} — {stage.role_name}{extra}")
