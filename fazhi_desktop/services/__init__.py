"""Services: the only way the GUI, the command line and imports change or read data."""
