from typing import Any

from django.core.management.base import BaseCommand

from ntm.demo.services import DEMO_PASSWORD, DEMO_USERNAME, demo_load


class Command(BaseCommand):
    help = "Nạp dữ liệu demo Lai Châu (mô phỏng) vào cơ sở dữ liệu; chạy lại nhiều lần vẫn cho cùng kết quả."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = demo_load(progress=lambda step: self.stdout.write(f"• {step}…"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {counts['communes']} xã, {counts['values']:,} giá trị chỉ tiêu mô phỏng "
                f"({counts['years']} năm).".replace(",", ".")
            )
        )
        self.stdout.write("LƯU Ý: số liệu demo là MÔ PHỎNG, không phải số liệu thật của các xã.")
        self.stdout.write(f"Đăng nhập: tài khoản {DEMO_USERNAME} / mật khẩu {DEMO_PASSWORD}")
