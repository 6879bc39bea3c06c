"""Data quality in the UI: a daily summary over the gold data-quality marts."""
