"""Dialogs: first-run wizard, settings, import, backup and restore."""
