"""The PySide6 GUI. The only package that imports Qt; it calls the services and never touches SQL itself."""
