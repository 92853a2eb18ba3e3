"""What the API and the command line both use: the write transaction, audit, settings, viewer, domain services.

Layers (an arrow means "may be imported by"): models → rules → core → resolvers → schema → server.
`core` imports only `models`, `rules` and itself (tests/test_imports.py checks it).
"""
