"""Helpers for tests that inspect what a drawing put on its axes."""

from __future__ import annotations


def shown_title(ax) -> str:
    """The title a reader sees above ``ax``: set with ``set_title`` (any ``loc``) or, for
    a live control's foreground, a text of its own at the title's place
    (``notes_lib.plotting.moving_title``), which ``ax.get_title()`` does not see."""
    titles = [ax.get_title(loc=loc) for loc in ("left", "center", "right")]
    titles += [t.get_text() for t in ax.texts
               if t.get_position()[1] == 1.0 and t.get_verticalalignment() == "baseline"]
    return "\n".join(t for t in titles if t)
