"""The collection on disk beside the WARCs: catalog, JSONL records, versions, runs, rebuilds."""
