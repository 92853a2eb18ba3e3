"""What replaces library behaviour for speed, all behind one switch (`LIANXI_FASTPATH`, core/settings.py).

On (the default): JSON POSTs of queries are answered by graphql-core directly (direct_execution.py) with
resolvers rewired (lean_fields.py, argument_conversion.py) and in-memory subtrees completed in one loop
(lean_execution.py); on PostgreSQL a query's statements share one pool connection and released connections are
kept at hand (request_connection.py, kept_connections.py, pg_engine.py); whole answers are cached
(response_cache.py). Off: strawberry's HTTP view and extension runner and tortoise's asyncpg client answer
everything, as they ship. Answers are byte-identical either way (tests/api/test_fastpath_switch.py; `make test`
runs the API tests both ways).

The library internals these modules (and a few others) rely on are listed in tests/private_names.py, whose test
fails, naming the name, when an upgrade removes one or changes its signature.
"""
