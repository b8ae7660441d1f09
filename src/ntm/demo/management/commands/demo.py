import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ntm.accounts.demo import demo_accounts, demo_accounts_create
from ntm.accounts.models import Role, criteria_text
from ntm.demo.services import demo_is_loaded, demo_load


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu demo Lai Châu (mô phỏng) và các tài khoản demo; chạy lại nhiều lần vẫn cho "
        "cùng kết quả. --accounts chỉ in danh sách tài khoản demo dạng JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--accounts",
            action="store_true",
            help="In tài khoản demo dạng JSON ra stdout (chỉ JSON, để dùng trong script); "
            "chỉ nạp dữ liệu demo nếu chưa có.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["accounts"]:
            # Nothing but the JSON goes to stdout, so the output can be piped.
            accounts = demo_accounts_create() if demo_is_loaded() else None
            if accounts is None:
                demo_load()
                accounts = demo_accounts()
            self.stdout.write(json.dumps(accounts, ensure_ascii=False, indent=2))
            return
        counts = demo_load(progress=lambda step: self.stdout.write(f"• {step}…"))
        values = f"{counts['values']:,}".replace(",", ".")  # Vietnamese thousands: 32.640
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {counts['communes']} xã, {values} giá trị chỉ tiêu mô phỏng "
                f"({counts['years']} năm)."
            )
        )
        self.stdout.write("LƯU Ý: số liệu demo là MÔ PHỎNG, không phải số liệu thật của các xã.")
        self._accounts_table()

    def _accounts_table(self) -> None:
        rows: list[tuple[str, ...]] = [
            (
                a["username"],
                a["password"],
                str(Role(a["role"]).label),
                a["unit_code"] or "(toàn hệ thống)",
                criteria_text(a["criteria"]),
            )
            for a in demo_accounts()
        ]
        header = ("Tài khoản", "Mật khẩu demo", "Vai trò", "Mã đơn vị", "Tiêu chí")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write("TÀI KHOẢN DEMO (mật khẩu demo công khai, chỉ dùng để dùng thử):")
        for row in [header, *rows]:
            self.stdout.write(
                "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
            )
        self.stdout.write("In dạng JSON: ntm demo --accounts")
