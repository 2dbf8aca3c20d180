"""Imported by the import workers' fork server (`prepare.worker_context`): builds the sentence
segmenters once, so that every worker forked from the server starts with them ready."""

from __future__ import annotations

from qualcode.core import nlp
from qualcode.core.ingest import segment  # noqa: F401  (the workers' code, imported once)
from qualcode.core.ingest.prepare import prepare  # noqa: F401

for _language in nlp.SUPPORTED_LANGUAGES:
    nlp.get_segmenter(_language)
