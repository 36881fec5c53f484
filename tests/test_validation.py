"""Each validation rule: a failing case, its Chinese message naming the field, and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi_desktop.domain.errors import ValidationError
from fazhi_desktop.domain.idcard import check_digit, idcard_problem, mask_idcard

GOOD_ID = "11010519491231002X"  # the standard's own example number


def _dispute(**over):
    base = {"date": "2023-05-04", "source": "排查发现", "village": "东村", "category": "土地纠纷", "parties": "甲与乙",
            "summary": "地界争议", "risk": "绿", "status": "调处中"}
    return base | over


def _fails(svc, key, values, label, fragment):
    before = svc.count(key)
    with pytest.raises(ValidationError) as err:
        svc.create(key, values)
    text = str(err.value)
    assert f"「{label}」" in text, text
    assert fragment in text, text
    assert svc.count(key) == before
    return text


def test_valid_record_saves_and_derives_year(svc):
    result = svc.create("dispute", _dispute())
    row = svc.get("dispute", result.id)
    assert row["year"] == 2023 and row["date"] == dt.date(2023, 5, 4)
    assert row["created_by"] == "测试员" and row["deleted"] is False


def test_required(svc):
    _fails(svc, "dispute", _dispute(parties=""), "当事人", "必填")


def test_conditional_required_ten_entries_target(svc):
    values = {"date": "2023-03-01", "kind": "法律十进", "place": "东村"}
    _fails(svc, "publicity", values, "进入对象", "「活动类型」为「法律十进」时必须填写")
    assert svc.create("publicity", values | {"target": "进学校"}).id


def test_conditional_required_closed_dispute(svc):
    _fails(svc, "dispute", _dispute(status="调解成功"), "办结日期", "必须填写")


def test_conditional_required_village_facility(svc):
    _fails(svc, "facility", {"name": "工作室", "kind": "其他", "level": "村级"}, "所在村", "必须填写")


def test_unknown_choice(svc):
    _fails(svc, "dispute", _dispute(risk="紫"), "风险等级", "「紫」不是可选值")


def test_unknown_multichoice_value(svc):
    _fails(svc, "publicity", {"date": "2023-03-01", "kind": "集日宣传", "place": "集市", "topics": "宪法、刑法大全"},
           "宣传主题（法律法规）", "刑法大全")


def test_negative_number(svc):
    _fails(svc, "meeting", {"date": "2023-1-2", "kind": "其他", "title": "会", "attendees": -3}, "参会人数", "不能为负数")


def test_text_in_number(svc):
    _fails(svc, "meeting", {"date": "2023-1-2", "kind": "其他", "title": "会", "attendees": "十二"}, "参会人数", "应为整数")


def test_impossible_date(svc):
    _fails(svc, "dispute", _dispute(date="2023-02-30"), "排查日期", "不存在")


def test_a_date_in_the_programs_own_form_is_checked_like_any_other(svc):
    """The written form (YYYY-MM-DD) skips the clean-up other forms need, not the checks."""
    _fails(svc, "dispute", _dispute(date="1948-12-31"), "排查日期", "年份不合理")
    _fails(svc, "dispute", _dispute(date="2023-13-01"), "排查日期", "不存在")


def test_unparseable_date(svc):
    _fails(svc, "dispute", _dispute(date="上周三"), "排查日期", "无法识别")


@pytest.mark.parametrize("text", ["2023-05-04", "2023/5/4", "2023年5月4日", "2023.5.4", "20230504"])
def test_date_formats(svc, text):
    assert svc.get("dispute", svc.create("dispute", _dispute(date=text)).id)["date"] == dt.date(2023, 5, 4)


def test_id_checksum(svc):
    values = {"year": 2023, "name": "张三", "village": "东村", "category": "法律明白人", "id_number": "110105194912310021"}
    _fails(svc, "legal_talent", values, "身份证号", "校验位")
    assert svc.create("legal_talent", values | {"id_number": GOOD_ID.lower()}).id


def test_village_not_in_unit(svc):
    _fails(svc, "dispute", _dispute(village="北村"), "所在村", "不在本单位的村（社区）名单中")


def test_date_order(svc):
    _fails(svc, "dispute", _dispute(status="调解成功", closed_on="2023-05-01"), "办结日期", "不能早于「排查日期」")


def test_money_negative_and_rounding(svc):
    base = {"name": "李律师", "firm": "某律所", "signed_on": "2024-01-08"}
    _fails(svc, "counsel", base | {"fee": "-1"}, "费用", "不能为负数")
    rid = svc.create("counsel", base | {"fee": "12,345.678"}).id
    assert str(svc.get("counsel", rid)["fee"]) == "12345.68"


def test_warnings_do_not_block(svc):
    result = svc.create("document", {"date": "2023-02-01", "title": "方案", "kind": "实施方案", "doc_no": "肖发[2023]3号"})
    assert [w.label for w in result.warnings] == ["文号"]
    assert "〔〕" in result.warnings[0].message
    result = svc.create("enforcement", {"date": "2023-02-01", "domain": "安全生产", "party": "某", "facts": "事",
                                        "method": "行政处罚", "major": True, "legal_review": False})
    assert [w.label for w in result.warnings] == ["法制审核"]


def test_all_problems_reported_at_once(svc):
    with pytest.raises(ValidationError) as err:
        svc.create("dispute", _dispute(parties="", risk="紫", village="北村"))
    assert {p.label for p in err.value.problems} == {"当事人", "风险等级", "所在村"}


def test_control_characters_rejected(svc):
    _fails(svc, "dispute", _dispute(parties="甲\x00乙"), "当事人", "控制字符")


def test_locally_added_choice_is_accepted(db, unit):
    from fazhi_desktop.services.records import RecordService
    from fazhi_desktop.services.units import add_local_choice

    with db.engine.begin() as conn:
        unit = add_local_choice(conn, unit, "dispute", "category", "水利纠纷", "测试员")
    svc = RecordService(db.engine, unit, "测试员")
    assert svc.create("dispute", _dispute(category="水利纠纷")).id


def test_idcard_helpers():
    assert check_digit(GOOD_ID[:17]) == "X"
    assert idcard_problem(GOOD_ID) is None
    assert "18位" in idcard_problem("123")
    assert "出生日期" in idcard_problem("110105194913310021")
    assert mask_idcard("620102199001011234") == "620102********1234"  # 6+4 (#21), not the spec's 4+4


def test_empty_collections_stay_their_own_type():
    """An empty 各部分文稿 (a mapping) once came back as a list and failed the next save."""
    from fazhi_desktop.domain.unit import REPORT_TEXT_FIELDS
    from fazhi_desktop.domain.validation import validate_fields

    clean, problems = validate_fields(REPORT_TEXT_FIELDS, {"sections": {}, "problems": [], "doc_date": "2024-03-20"})
    assert problems == [] and clean["sections"] == {} and clean["problems"] == []
    again, problems = validate_fields(REPORT_TEXT_FIELDS, clean)
    assert problems == [] and again == clean
