"""The window shell: start-up, main window, session, background operations, errors."""
