"""One mutation per module: people, roles, handovers and units."""
