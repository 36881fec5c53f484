"""Excel exchange: the workbook guard, the reader (in a child process), import plans, writers."""
