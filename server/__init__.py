"""How Lianxi runs: the Starlette app, settings, database set-up, scheduler and the `lianxi` CLI."""
