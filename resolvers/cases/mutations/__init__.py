"""One mutation per module: report a case, add an event to its timeline."""
