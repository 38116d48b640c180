"""The confirmation that asks whether to disconnect a TikTok account (the FAQ's last answer).

Confirmations come in more shapes than the runbook's other dialogs: a modal, an alert dialog, or a pop-over
anchored to the row (Ant Design's Popconfirm). The candidate engine sees each as the top-most layer; the one
titled like the question is preferred.
"""

from __future__ import annotations

from playwright.sync_api import Locator

from runbook.core.errors import ControlNotFound, NoEffect
from runbook.core.tutorial import Route
from runbook.eyes.controls import Match, Walk, choose, find, follow, guess, leading, wait_for_any
from runbook.pages.dialogs import close_dialog, find_dialog, is_open


class DisconnectDialog:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.step = walk.tutorial.disconnect_step(3)
        self.dialog: Locator = find_dialog(walk, self.step, self.step.texts("dialog_titles"))

    def confirm(self) -> None:
        """Disconnect step 3: the confirming button; done when the confirmation has gone (an error keeps it)."""
        follow(self.walk, self.step, "dialog")
        closed = {"closed": lambda: not is_open(self.dialog)}
        if wait_for_any(self.walk, closed, self.walk.timeout_ms) is None:
            raise NoEffect(self.step.number, "the confirmation to close", self.walk.visible_names(), "it stayed open")

    def locate_confirm(self, *, guessing: bool = False) -> Locator:
        """verify's disconnect step 3: the confirming button, found and never clicked. Only the confirmation's
        own controls count (a row's Remove behind it does not confirm). Guessing, wording the data does not know
        is taken from the confirmation's control most like the documented label (drift), never its Cancel."""
        walk, step = self.walk, self.step
        routes = [route for route in step.paths if route.labels]
        firsts = [route.labels[0] for route in routes]
        found = find(walk, step, firsts, "dialog")
        chosen = choose(step, [c for c in found.candidates if c.region.startswith("layer")], firsts)
        names = walk.nearest_names(step.documented.labels)
        if chosen is not None:
            route = next(route for route in routes if route.labels[0] == chosen.label)
            lead = [] if route.documented else [route.labels[0]]
            walk.on_match(step, Match(route, [*lead, *(name for name in names if name not in lead)]))
            return walk.page.locator(found.scan.target(chosen.index))
        closers = walk.tutorial.close
        guessed = guess(walk, step, step.documented.labels, in_layer=True, besides=closers) if guessing else None
        if guessed is not None:
            route = Route(f'nearest visible control "{guessed.name}"', (guessed.name,))
            walk.on_match(step, Match(route, leading(guessed.name, names)))
            return guessed.control
        raise ControlNotFound(step.number, step.expected, names, timed_out=found.timed_out)

    def cancel(self) -> None:
        """Leave without disconnecting: the confirmation's Cancel or close button, else Escape; done when it has
        gone (verify opens it only to see that its confirming button is there)."""
        close_dialog(self.walk, self.dialog, self.step)
