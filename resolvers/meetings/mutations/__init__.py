"""One mutation per module: record, update and cancel a joint meeting."""
