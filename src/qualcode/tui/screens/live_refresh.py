"""Other coders' work appears on the coding screen by itself (a shared project).

The screen polls a fingerprint of its source's codings (`store.read.coding_fingerprint`, one
small indexed query) every `POLL_SECONDS`; when it changes, because a colleague coded on the
server or a command wrote to the file, the screen reloads its codings and redraws them. The
cursor, the selection and the scroll position stay where the coder left them.
"""

from __future__ import annotations

from typing import Any

from qualcode.core.store.read import coding_fingerprint

POLL_SECONDS = 1.0


class LiveCodings:
    """Mixin for the coding screen: `start_live_refresh()` in `on_mount`."""

    source_id: int
    reader: Any
    _loaded_once: bool
    _live_print: tuple[Any, ...] | None = None

    def start_live_refresh(self) -> None:
        """Remember the codings as drawn and start polling for changes by others."""
        self._live_print = self._fingerprint()
        self.set_interval(POLL_SECONDS, self._poll_live)  # type: ignore[attr-defined]

    def _fingerprint(self) -> tuple[Any, ...] | None:
        try:
            return coding_fingerprint(self.reader, self.source_id)
        except Exception:  # busy, a dropped connection: the next tick tries again
            return None

    def _poll_live(self) -> None:
        if not getattr(self, "is_current", True):
            return
        now = self._fingerprint()
        if now is None or now == self._live_print:
            return
        self._live_print = now
        self._loaded_once = True  # the first refresh is not the start-up one
        self.refresh_data()  # type: ignore[attr-defined]
