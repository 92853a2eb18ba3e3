"""Domain services of the roster: people, their roles, and the unit tree."""
