"""Imported by the import workers' fork server (`prepare.worker_context`): builds the sentence
segmenters once, so that every worker forked from the server starts with them ready.

The server leaves without the interpreter's teardown (`os._exit`): freeing spaCy's objects one
by one took about 0.14 s, which the import command spent waiting for it at the end. It holds
no files or data of its own to flush (its workers send everything back to the command).
"""

from __future__ import annotations

import atexit
import os
import sys
from contextlib import suppress

from qualcode.core import nlp
from qualcode.core.ingest import segment  # noqa: F401  (the workers' code, imported once)
from qualcode.core.ingest.prepare import prepare  # noqa: F401

for _language in nlp.SUPPORTED_LANGUAGES:
    nlp.get_segmenter(_language)


def _in_fork_server() -> bool:
    """Whether this process is multiprocessing's fork server (started as `python -c ...`)."""
    return sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules


def _leave_now(server_pid: int) -> None:
    if os.getpid() == server_pid:  # never in a forked worker
        for stream in (sys.stdout, sys.stderr):
            with suppress(AttributeError, OSError, ValueError):
                stream.flush()
        os._exit(0)


if _in_fork_server():
    atexit.register(_leave_now, os.getpid())
