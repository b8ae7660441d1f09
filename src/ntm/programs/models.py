"""Training, communication, emulation, production, organisation and targets (capabilities 9-12).

Every row says where it comes from (`source`) and whether it is simulated: the demo creates
simulated detail that only reproduces a published total, and pages must say so.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ntm.units.models import Unit

NO_DECISION_NUMBER = "chưa có số quyết định trong dữ liệu tham khảo"

# The range of each number field, what forms and imports accept (a wider number is a typing
# error): Lai Châu has about 500,000 people and 100,000 households, so a course with ten
# million attendances or a model with a million households is not a real figure; a target
# value is a count of communes or criteria, or an indicator's value (an income, a rate).
NUMBER_RANGE: dict[str, tuple[int, int]] = {
    "attendances": (0, 10**7),
    "reach": (0, 10**8),
    "stars": (0, 10),  # the model then says "3 to 5 stars" in its own words
    "households": (0, 10**6),
    "value": (0, 10**9),
}
YEAR_RANGE = (1900, 2100)  # every *year field


class Record(models.Model):
    source = models.CharField("nguồn", max_length=200, blank=True)
    simulated = models.BooleanField("dữ liệu mô phỏng", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


# --- Training, communication, emulation -------------------------------------------------


class CourseLevel(models.TextChoices):
    TINH = "tinh", "Cấp tỉnh"
    HUYEN = "huyen", "Cấp huyện"
    XA = "xa", "Cấp xã"
    THON = "thon", "Cấp thôn, bản"


class Course(Record):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị tổ chức"
    )
    topic = models.CharField("chủ đề", max_length=300)
    level = models.CharField("cấp", max_length=5, choices=CourseLevel.choices)
    start_date = models.DateField("ngày bắt đầu")
    end_date = models.DateField("ngày kết thúc", null=True, blank=True)
    attendances = models.PositiveIntegerField("số lượt người tham gia")
    audience = models.CharField("đối tượng", max_length=300, blank=True)

    class Meta:
        verbose_name = "lớp tập huấn, đào tạo"
        constraints = (
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="programs_course_dates_ordered",
            ),
        )

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."})


class CommunicationKind(models.TextChoices):
    ARTICLE = "article", "Tin, bài"
    BROADCAST = "broadcast", "Phát thanh, truyền hình"
    CONTEST = "contest", "Hội thi"
    WORKSHOP = "workshop", "Hội thảo"
    PUBLICATION = "publication", "Tờ rơi, ấn phẩm"
    OTHER = "other", "Khác"


class CommunicationActivity(Record):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    kind = models.CharField("hình thức", max_length=12, choices=CommunicationKind.choices)
    date = models.DateField("ngày")
    title = models.CharField("tiêu đề", max_length=300)
    reach = models.PositiveIntegerField("số lượt người được tiếp cận", null=True, blank=True)

    class Meta:
        verbose_name = "hoạt động tuyên truyền"


class EmulationMovement(Record):
    name = models.CharField("tên phong trào", max_length=300)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    launched_by = models.CharField("cơ quan phát động", max_length=200)
    launch_date = models.DateField("ngày phát động", null=True, blank=True)
    decision = models.CharField("quyết định, văn bản phát động", max_length=200, blank=True)

    class Meta:
        verbose_name = "phong trào thi đua"


# --- Production ---------------------------------------------------------------------------


def validate_stars(value: int) -> None:
    if value not in (3, 4, 5):
        raise ValidationError(
            "Sản phẩm OCOP được công nhận từ 3 đến 5 sao; không nhận %(value)s sao.",
            params={"value": value},
        )


class OcopProduct(Record):
    name = models.CharField("tên sản phẩm", max_length=300)
    producer = models.CharField("chủ thể sản xuất", max_length=300)
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="xã")
    stars = models.PositiveSmallIntegerField("số sao", validators=[validate_stars])
    decision = models.CharField("quyết định công nhận", max_length=200, blank=True)
    recognised_on = models.DateField("ngày công nhận")
    expires_on = models.DateField("hết hiệu lực", null=True, blank=True)

    class Meta:
        verbose_name = "sản phẩm OCOP"
        constraints = (
            models.CheckConstraint(
                condition=Q(stars__gte=3, stars__lte=5), name="programs_ocop_stars_3_5"
            ),
        )


class CooperativeLaw(models.TextChoices):
    LAW_2003 = "2003", "Luật Hợp tác xã 2003"
    LAW_2012 = "2012", "Luật Hợp tác xã 2012"
    LAW_2023 = "2023", "Luật Hợp tác xã 2023"


class Cooperative(Record):
    name = models.CharField("tên hợp tác xã", max_length=300)
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="xã")
    established = models.DateField("ngày thành lập", null=True, blank=True)
    law = models.CharField("theo luật", max_length=4, choices=CooperativeLaw.choices)
    operating_well = models.BooleanField("hoạt động hiệu quả", default=False)

    class Meta:
        verbose_name = "hợp tác xã"


class ProductionModel(Record):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    name = models.CharField("tên mô hình", max_length=300)
    year = models.PositiveSmallIntegerField("năm")
    households = models.PositiveIntegerField("số hộ tham gia", null=True, blank=True)

    class Meta:
        verbose_name = "mô hình sản xuất"


class Enterprise(Record):
    name = models.CharField("tên doanh nghiệp", max_length=300)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    field = models.CharField("lĩnh vực đầu tư", max_length=300)
    since_year = models.PositiveSmallIntegerField("đầu tư từ năm", null=True, blank=True)

    class Meta:
        verbose_name = "doanh nghiệp đầu tư vào nông nghiệp"


# --- Organisation ---------------------------------------------------------------------------


class BodyKind(models.TextChoices):
    STEERING = "steering_committee", "Ban Chỉ đạo"
    OFFICE = "coordination_office", "Văn phòng điều phối"
    BOARD = "management_board", "Ban quản lý xã"
    VILLAGE_BOARD = "village_board", "Ban phát triển thôn, bản"


class Body(Record):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    kind = models.CharField("loại", max_length=20, choices=BodyKind.choices)
    decision_number = models.CharField("số quyết định thành lập", max_length=100, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    # When only the period is known ("giai đoạn 2011-2015"), the last year of it: the body
    # existed by then at the latest.
    by_year = models.PositiveSmallIntegerField("thành lập chậm nhất năm", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "bộ máy chỉ đạo, điều hành"
        constraints = (
            models.CheckConstraint(
                condition=Q(decision_date__isnull=False) | Q(by_year__isnull=False),
                name="programs_body_dated",
            ),
        )


class Resolution(Record):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    issuer = models.CharField("cơ quan ban hành", max_length=200)
    number = models.CharField("số hiệu", max_length=100, blank=True)
    date = models.DateField("ngày ban hành", null=True, blank=True)
    by_year = models.PositiveSmallIntegerField("ban hành chậm nhất năm", null=True, blank=True)
    subject = models.CharField("trích yếu", max_length=500)

    class Meta:
        verbose_name = "nghị quyết, quyết định"


# --- Targets ---------------------------------------------------------------------------------


class TargetKind(models.TextChoices):
    COMMUNES = "communes_meeting_standard", "Số xã đạt chuẩn NTM"
    AVG = "avg_criteria", "Bình quân tiêu chí/xã"
    UNIT_COMPLETES = "unit_completes", "Đơn vị hoàn thành nhiệm vụ, đạt chuẩn NTM"
    INDICATOR = "indicator_value", "Giá trị chỉ tiêu"


class Target(Record):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    year = models.PositiveSmallIntegerField("năm (cuối kỳ)")
    year_from = models.PositiveSmallIntegerField("từ năm (nếu là giai đoạn)", null=True, blank=True)
    kind = models.CharField("loại mục tiêu", max_length=26, choices=TargetKind.choices)
    value = models.FloatField("giá trị mục tiêu", null=True, blank=True)
    named_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="đơn vị phải hoàn thành",
    )
    indicator = models.CharField("mã chỉ tiêu", max_length=20, blank=True)
    name = models.CharField("nội dung mục tiêu", max_length=300)
    legal_source = models.CharField("căn cứ", max_length=300, blank=True)

    class Meta:
        verbose_name = "mục tiêu"

    def clean(self) -> None:
        if self.kind == TargetKind.UNIT_COMPLETES and self.named_unit_id is None:
            raise ValidationError(
                {"named_unit": "Mục tiêu hoàn thành cần chọn đơn vị phải hoàn thành."}
            )
        if self.kind != TargetKind.UNIT_COMPLETES and self.value is None:
            raise ValidationError({"value": "Cần nhập giá trị mục tiêu."})
        if self.kind == TargetKind.INDICATOR and not self.indicator:
            raise ValidationError({"indicator": "Cần nhập mã chỉ tiêu."})
        if self.year_from and self.year_from > self.year:
            raise ValidationError({"year_from": "Năm bắt đầu phải trước năm cuối kỳ."})
