"""Two requests made to overlap at a chosen step, so a rule that must hold when two people act
at once is tested at the worst moment rather than by luck.

`overlap_after(monkeypatch, module, "step", app, other)` lets the first call to `module.step`
run as usual, then starts `other` in a second session (its own thread and app context, as a
second request would have) and waits up to `hold` seconds for it. A request that nothing holds
back finishes in that time, inside the first one's decision; one that correctly waits for the
first one's lock finishes after the first commits. `finish()` waits for it and says how it
ended: ("done", value) or ("refused", the exception).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from portfolio.extensions import db

HOLD_SECONDS = 2.0


@dataclass
class Overlap:
    thread: threading.Thread | None = None
    outcome: list = field(default_factory=list)

    def finish(self, timeout: float = 60) -> tuple[str, object]:
        assert self.thread is not None, "the overlapping request never ran: step not reached"
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the overlapping request is still waiting"
        return self.outcome[0]


def overlap_after(monkeypatch, module, name: str, app, other: Callable[[], object], *,
                  hold: float = HOLD_SECONDS) -> Overlap:
    overlap, step = _overlapping(getattr(module, name), app, other, hold)
    monkeypatch.setattr(module, name, step)
    return overlap


def overlap_on_property(monkeypatch, cls, name: str, app, other: Callable[[], object], *,
                        hold: float = HOLD_SECONDS) -> Overlap:
    """The same, at the first read of a property (a step with no function of its own)."""
    overlap, step = _overlapping(getattr(cls, name).fget, app, other, hold)
    monkeypatch.setattr(cls, name, property(step))
    return overlap


def _overlapping(original, app, other, hold):
    overlap = Overlap()

    def run_other():
        with app.app_context():
            try:
                value = other()
                db.session.commit()
                overlap.outcome.append(("done", value))
            except Exception as error:  # noqa: BLE001 - reported to the test
                db.session.rollback()
                overlap.outcome.append(("refused", error))
            finally:
                db.session.remove()

    def step(*args, **kwargs):
        result = original(*args, **kwargs)
        if overlap.thread is None:
            overlap.thread = threading.Thread(target=run_other, daemon=True)
            overlap.thread.start()
            overlap.thread.join(hold)
        return result

    return overlap, step
