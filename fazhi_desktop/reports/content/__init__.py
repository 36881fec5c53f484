"""Report content: the template, the figures and the wording → a document model."""
