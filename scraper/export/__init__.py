"""What leaves a collection: JSONL/Parquet/CSV exports, near-duplicate flags, WACZ packages."""
