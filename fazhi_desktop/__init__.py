"""fazhi_desktop — 法治建设台账与年度报告 (offline ledgers and the annual self-check report)."""

__version__ = "0.1.0"
APP_NAME = "法治建设台账"
