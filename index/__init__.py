"""Documents -> SQLite store (later: faiss vectors and hybrid search).

`index` consumes what `ingest` produces; `ingest` never imports `index`.
"""
