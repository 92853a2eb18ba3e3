"""How the API reads and writes: per-domain queries, mutations and DataLoaders, and the request context."""
