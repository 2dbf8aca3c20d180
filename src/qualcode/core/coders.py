"""Coder names with a meaning of their own, and which coders a count is computed for.

- `consensus`: the coder that holds adjudicated codings (the team's agreed coding);
- `suggester`: proposals of `qualcode suggest` stored as codings; left out of every count
  unless chosen by name.
Pure Python: the store and the command line import it cheaply.
"""

from __future__ import annotations

CONSENSUS = "consensus"
SUGGESTER = "suggester"
SPECIAL_CODERS = (CONSENSUS, SUGGESTER)
