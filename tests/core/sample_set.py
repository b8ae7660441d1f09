"""A small hand-made criteria set for engine tests (independent of the shipped files)."""

from ntm.core.loader import load_mapping
from ntm.core.model import CriteriaSet

SAMPLE = {
    "id": "sample",
    "title": "Bộ tiêu chí mẫu",
    "decision": "0/QĐ-TEST",
    "level": "commune",
    "issued": "2020-01-01",
    "effective": "2020-01-01",
    "classification": "region",
    "classes": {"A": "Vùng A", "B": "Vùng B"},
    "tiers": [{"code": "ntm", "name": "Đạt chuẩn"}, {"code": "nang_cao", "name": "Nâng cao"}],
    "sources": {"S": "nguồn thử"},
    "criteria": [
        {
            "code": "1",
            "name": "Thu nhập",
            "indicators": [
                {
                    "code": "1.1",
                    "text": "Thu nhập",
                    "unit": "triệu đồng",
                    "op": ">=",
                    "sources": ["S"],
                    "thresholds": {"A": 36, "B": 50},
                    "thresholds_by_tier": {"nang_cao": {"A": 40}},
                },
            ],
        },
        {
            "code": "2",
            "name": "Hộ nghèo",
            "indicators": [
                {
                    "code": "2.1",
                    "text": "Tỷ lệ hộ nghèo",
                    "unit": "%",
                    "op": "<=",
                    "sources": ["S"],
                    "thresholds": {"A": 6},
                },
                {
                    "code": "2.2",
                    "text": "Nhà tạm",
                    "unit": "bool",
                    "op": "khong",
                    "sources": ["S"],
                    "thresholds": {"A": "không", "B": "không"},
                },
            ],
        },
        {
            "code": "3",
            "name": "Quy hoạch",
            "indicators": [
                {
                    "code": "3.1",
                    "text": "Có quy hoạch",
                    "unit": "bool",
                    "op": "dat",
                    "sources": ["S"],
                    "thresholds": {"A": "đạt", "B": "đạt"},
                },
            ],
        },
    ],
}


def sample_set() -> CriteriaSet:
    return load_mapping(SAMPLE, file="sample.yaml")
