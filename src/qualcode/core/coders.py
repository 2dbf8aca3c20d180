"""Coder names with a meaning of their own, and which coders a count is computed for.

- `consensus`: the coder that holds adjudicated codings (the team's agreed coding);
- `suggester`: proposals of `qualcode suggest` stored as codings; left out of every count
  unless chosen by name.
Pure Python: the store and the command line import it cheaply.
"""

from __future__ import annotations

from qualcode.i18n import N_, gettext

CONSENSUS = "consensus"
SUGGESTER = "suggester"
SPECIAL_CODERS = (CONSENSUS, SUGGESTER)

# What a chooser shows for the special coders (the value stays the coder's name).
_LABELS = {CONSENSUS: N_("the consensus coder"),
           SUGGESTER: N_("machine suggestions (suggester)")}


def coder_label(name: str, lang: str | None = None) -> str:
    """A coder as a person reads it: the special coders described, everyone else by name."""
    return gettext(_LABELS[name], lang) if name in _LABELS else name
