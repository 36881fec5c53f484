"""Typesetting: the GB/T 9704 page, fonts, line breaking and pagination of a document model."""
