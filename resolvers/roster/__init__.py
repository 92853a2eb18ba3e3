"""Roster: people, dated role assignments and the units they are held in."""
