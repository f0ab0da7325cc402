"""What crosses to readers: disclosure control, charts, briefs (HTML) and their PDFs."""
