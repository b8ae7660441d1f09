"""tqdm bars on stderr for `ntm backup` and `ntm restore`, one per stage."""

from __future__ import annotations

from typing import Any

from tqdm import tqdm

STAGES = {
    "check": ("Kiểm tra bản sao lưu", "B"),
    "rows": ("Cơ sở dữ liệu", " dòng"),
    "files": ("Tệp dữ liệu", "B"),
}


class StageBars:
    """Called as progress(stage, done, total); a new stage closes the previous bar."""

    def __init__(self) -> None:
        self.stage = ""
        self.bar: tqdm[Any] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage or self.bar is None:
            self.close()
            desc, unit = STAGES[stage]
            scale = unit == "B"
            self.bar = tqdm(total=total, desc=desc, unit=unit, unit_scale=scale, leave=False)
            self.stage = stage
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
