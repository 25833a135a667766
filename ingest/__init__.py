"""Files in -> cleaned, split and segmented report Documents.

`ingest` never imports `index`: it turns files into value objects that the
store persists. The facade is `ingest.pipeline.process_file`; names are
re-exported lazily so that importing a stage stays cheap.
"""

from importlib import import_module

_EXPORTS = {
    "INGEST_VERSION": "ingest.pipeline",
    "SUPPORTED_SUFFIXES": "ingest.pipeline",
    "iter_files": "ingest.pipeline",
    "process_file": "ingest.pipeline",
    "process_text": "ingest.pipeline",
    "IngestError": "ingest.errors",
    "Document": "ingest.types",
    "Passage": "ingest.types",
    "RawText": "ingest.types",
    "Region": "ingest.types",
    "Section": "ingest.types",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ingest' has no attribute {name!r}")
