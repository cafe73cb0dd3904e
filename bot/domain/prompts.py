"""A button that posts publicly acts once per prompt: the first press wins.

Quick presses reach the bot as separate interactions, all before the prompt's
buttons are removed, so each share claims its prompt (by message id) before
its first await. Removing the buttons afterwards covers any later press,
including after a restart, when this memory is gone.
"""

from __future__ import annotations

REMEMBERED_PROMPTS = 10_000


class SharePrompts:
    """Prompts whose share was already claimed in this process (the oldest are forgotten)."""

    def __init__(self, remember: int = REMEMBERED_PROMPTS) -> None:
        self._claimed: dict[int, None] = {}
        self._remember = remember

    def claim(self, prompt_id: int) -> bool:
        """Return True for the first press on this prompt, False for every later one."""
        if prompt_id in self._claimed:
            return False
        self._claimed[prompt_id] = None
        if len(self._claimed) > self._remember:
            del self._claimed[next(iter(self._claimed))]
        return True
