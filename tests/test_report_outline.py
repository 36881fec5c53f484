"""The report outline a clerk edits (reports/content/outline.py): plain text with headings and {名称} placeholders.
Each mistake is told in Chinese at the outline's own line; nothing typed becomes template code; what it places is
the ledgers' text and figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.reports.content import builder
from fazhi_desktop.reports.content.outline import compile_outline, is_outline
from fazhi_desktop.services.units import get_unit

GOOD = "{开头依据句}\n\n# 一、工作开展情况\n## （一）加强组织领导。{组织领导部分}\n# 二、存在问题\n{存在问题部分}\n"


@pytest.mark.parametrize(("line", "text", "says"), [
    (4, "## （一）加强组织领导。{组织领导部分}{专题会议次数}", "没有名为「专题会议次数」"),
    (5, "全年{年度}年共召开会议 { 次。", "花括号只能成对"),
    (5, "{% for x in range(9) %}{% endfor %}", "模板程序写法"),
    (5, "{{ parts.org }}", "模板程序写法"),
    (5, "### 三级标题", "两级标题"),
    (5, "宣传主题有{宣传主题（分主题）}。", "分类统计"),
    (5, "{组织领导部分}", "已经用过"),
    (5, "{规范执法部分}", "不同部分"),
    (5, "## {规范执法部分}", "标题里不能放段落"),
    (5, "## （二）", "标题没有文字"),
])
def test_each_mistake_is_told_at_its_own_line(line, text, says):
    lines = GOOD.splitlines()
    lines.insert(line - 1, text)
    with pytest.raises(UserError, match=says) as err:
        compile_outline("\n".join(lines))
    assert f"第 {line} 行" in str(err.value)
    assert not any("a" <= ch.lower() <= "z" for ch in str(err.value).replace("parts.org", "")), str(err.value)


def test_a_part_placed_under_two_headings_names_both():
    with pytest.raises(UserError, match="第 4、7 行"):
        compile_outline(GOOD + "## （二）再写一遍。{组织领导导语}\n")


def test_the_shipped_outlines_hold_no_template_code_and_no_english():
    for name in builder.TEMPLATES:
        text = builder.shipped_outline(name)
        assert is_outline(text) and "{%" not in text and "{{" not in text
        assert not any("a" <= ch.lower() <= "z" for ch in text), name


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["{", "}", "%", "#", "-", " ", "\n", "年度", "单位名称", "a", "1", "（", "。"]),
                max_size=40).map("".join))
def test_nothing_typed_becomes_template_code(typed):
    """Whatever the clerk types in a paragraph either is refused with a message or renders as exactly that text."""
    from jinja2 import Environment

    text = "\n".join("字" + line for line in typed.splitlines())
    try:
        compiled = compile_outline("# 一、甲\n" + text)
    except UserError:
        return
    env = Environment(trim_blocks=True, lstrip_blocks=True)
    env.filters.update(section=lambda t, k: t, pct=str)
    rendered = env.from_string(compiled).render(year=2023, unit={"name": "某镇"}, party_committee="镇党委、政府",
                                                parts={}, s={}, own=lambda k: False)
    typed = "".join(line.strip() for line in text.replace("{年度}", "2023").replace("{单位名称}", "某镇").splitlines())
    assert "".join(rendered.split("\n")[1:]).replace(" ", "") == typed.replace(" ", "")


def test_figures_values_and_a_clerks_draft_in_an_outline(demo_db):
    import datetime as dt

    from fazhi_desktop.reports.content.numbers import percent
    from fazhi_desktop.services import stats

    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
        s = stats.compute(conn, unit, 2023, dt.date(2024, 3, 20))
        outline = ("{单位名称}{年度}年度报告。\n\n# 一、组织领导\n全年召开法治建设专题会议{法治建设专题会议}次，"
                   "执法公示率{执法公示率}。\n\n## （一）组织。{组织领导部分}\n## （二）整改。{问题整改部分}\n")
        own = replace(unit, settings={**unit.settings, "templates": {"三段式": outline}})
        doc = builder.build_document(conn, own, 2023)
        empty = builder.build_document(conn, own, 2019)
    text = [p.text for p in doc.paragraphs]
    assert text[0] == f"{unit.name}2023年度报告。"
    assert f"全年召开法治建设专题会议{s['org.special_meetings']}次，执法公示率{percent(s['enforcement.publicized_rate'])}。" \
        in text
    # a level-2 part with records keeps its number; in a year without records both are left out, and so is （一）
    assert any(t.startswith("（一）组织。") for t in text) and any(t.startswith("（二）整改。") for t in text)
    assert not any("组织。" in p.text or "整改。" in p.text for p in empty.paragraphs)
    assert "org" in doc.sections and "rectification" in doc.sections


def test_a_stored_outline_with_a_mistake_names_the_template(demo_db):
    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
        own = replace(unit, settings={**unit.settings, "templates": {"三段式": "# 一、甲\n{没有}\n"}})
        with pytest.raises(UserError, match="本单位的报告模板「三段式」有错误：第 2 行"):
            builder.build_document(conn, own, 2023)


def test_compiled_templates_kept_for_the_process_never_carry_one_reports_text_into_another(db):
    """Templates compile once per process (#34's speed); a filter fed constants is folded into compiled code by
    Jinja, so the section filter must never be: a clerk's own text, and the record of which sections exist, belong to
    the report being made."""
    from fazhi_desktop.reports.content.builder import build_document
    from fazhi_desktop.services import reports_text
    from fazhi_desktop.services.units import create_unit

    made = []
    for name, own in (("甲镇", "甲镇自己写的组织领导部分。"), ("乙镇", None), ("丙镇", "丙镇自己写的。")):
        with db.engine.begin() as conn:
            unit = create_unit(conn, {"name": name, "county": "某县", "addressee": "县法治办",
                                      "issuers": [f"中共{name}委员会"], "villages": ["东村"]}, "测试员")
            if own:
                reports_text.save_report_text(conn, unit, 2023, {"sections": {"org": own},
                                                                 "doc_date": dt.date(2024, 3, 1)}, "测试员")
        with db.engine.connect() as conn:
            made.append(build_document(conn, unit, 2023))
    first, second, third = made
    assert "甲镇自己写的组织领导部分。" in first.plain_text()
    assert "甲镇自己写的" not in second.plain_text() and "org" in second.sections
    assert "丙镇自己写的。" in third.plain_text() and "甲镇自己写的" not in third.plain_text()
