"""Bronze layer: landing files into all-string Parquet plus a per-file ledger."""
