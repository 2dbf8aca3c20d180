"""The coding screen's people: who the text under the cursor is credited to, where it is
(line, paragraph, page: what a paper cites), and attributing a passage to an informant.

A base class of `CodingScreen` (which provides `transcript`, `data`, `reader`, `source_id`
and `update_side`). Credits follow the analysis query's rule (core/credit.py); they are read
with plain SQL once per screen and again after a change (undo, an attribution).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from qualcode.core.credit import Credit, SpeakerCredits
from qualcode.core.location import Location, TextMap
from qualcode.core.store import read as store_read
from qualcode.i18n import _
from qualcode.tui.screens.coding_modes import CodingModes

if TYPE_CHECKING:
    from qualcode.core.store.read import TranscriptData


class CodingPeople(CodingModes):
    """Credits and citable locations on the status line; `A` attributes the selection."""

    data: TranscriptData
    source_id: int
    _credits: SpeakerCredits | None = None
    _textmap: TextMap | None = None

    def forget_credits(self) -> None:
        """Re-read credits on next use (after undo / redo or an attribution)."""
        self._credits = None

    def credit_at(self, offset: int) -> Credit:
        """Who the text at `offset` is credited to."""
        if self._credits is None:
            turns, spans = store_read.speaker_rows(self.reader, self.source_id)
            self._credits = SpeakerCredits(self.data.informant, turns, spans)
        return self._credits.at(offset)

    def location_at(self, offset: int) -> Location:
        """Line, paragraph (and page) of `offset`."""
        if self._textmap is None:
            self._textmap = TextMap(self.data.text,
                                    store_read.page_starts_of(self.reader, self.source_id))
        return self._textmap.at(offset)

    def people_status(self, offset: int) -> Text:
        """` · Informan 3 │ line 7, paragraph 2` for the status line."""
        text = Text()
        credit = self.credit_at(offset)
        if credit.interviewer:
            text.append(" · " + _("interviewer") + (f" ({credit.speaker})"
                                                    if credit.speaker else ""), style="italic")
        elif credit.informant:
            text.append(f" · {credit.informant}" + (" ✎" if credit.attributed else ""))
        text.append(" │ " + self.location_at(offset).text())
        return text

    def action_attribute(self) -> None:
        """Credit the selected passage to an informant (undoable with ctrl+z)."""
        from qualcode.tui.screens.people_forms import attribution_form

        if not self.data.text:
            return
        start, end = self.transcript.selection_span()

        def done(values: object) -> None:
            if values is not None:
                self.forget_credits()
                self.update_side()

        self.app.push_screen(attribution_form(
            self.project, self.source_id, start, end, self.lang,
            str(getattr(self.app, "coder", "researcher"))), done)
