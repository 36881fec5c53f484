"""The 年度报告 tab: sections, readiness, preview, template editor."""
