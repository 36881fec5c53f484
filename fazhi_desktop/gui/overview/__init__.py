"""The 概览 tab: this year against the last, charts."""
