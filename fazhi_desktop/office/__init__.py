"""File formats shared by the Excel exchange and the reports: print-ready, styled worksheets."""
