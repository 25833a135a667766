"""Documents -> a catalog (SQLite) and retrievers (keyword, faiss) -> hybrid search, compare.

`index` consumes what `ingest` produces; `ingest` never imports `index`.
The seams are in `backends` (Catalog, Retriever, the factory); the facade
the command line and the app use is `search.Engine`.
"""
