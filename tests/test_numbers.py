import datetime as dt

import pytest

from fazhi_desktop.reports.content import numbers


@pytest.mark.parametrize(("n", "suffix", "text"), [
    (3560, "多", "3500多"), (686, "余", "680余"), (3500, "多", "3500"), (99, "多", "99"), (100, "余", "100"),
    (101, "余", "100余"), (43, "名", "43"), (12345, "多", "12000多"),
])
def test_approx(n, suffix, text):
    assert numbers.approx(n, suffix) == text


@pytest.mark.parametrize(("value", "text"), [(0.952, "95.2%"), (1.0, "100%"), (0.5, "50%"), (2 / 3, "66.7%"),
                                            (0.0, "0%"), (None, "无")])
def test_percent(value, text):
    assert numbers.percent(value) == text


@pytest.mark.parametrize(("n", "text"), [(4, "四"), (10, "十"), (12, "十二"), (20, "二十"), (36, "三十六"), (0, "零")])
def test_chinese(n, text):
    assert numbers.chinese(n) == text


def test_cn_date():
    assert numbers.cn_date(dt.date(2024, 3, 20)) == "2024年3月20日"
    assert numbers.cn_date(dt.date(2024, 1, 5)) == "2024年1月5日"
