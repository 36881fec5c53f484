"""Reports: document model, templates, number wording and the PDF / DOCX / XLSX renderers."""
