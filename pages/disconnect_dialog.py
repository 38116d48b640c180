"""The confirmation that asks whether to disconnect a TikTok account (the FAQ's last answer).

Confirmations come in more shapes than the runbook's other dialogs: a modal, an alert dialog, or a pop-over
anchored to the row (Ant Design's Popconfirm). The candidate engine sees each as the top-most layer; the one
titled like the question is preferred.
"""

from __future__ import annotations

from collections.abc import Sequence

from playwright.sync_api import Locator

from runbook.core.errors import ControlNotFound, NoEffect
from runbook.core.tutorial import Route
from runbook.eyes.answers import Candidate, Layer
from runbook.eyes.choice import choose, in_layers, leading
from runbook.eyes.clicks import find
from runbook.eyes.driver import Driver, Match
from runbook.eyes.routes import follow, guess
from runbook.eyes.waits import wait_for_any
from runbook.pages.dialogs import Dialog

# How long a menu takes to fade out at most (component libraries animate for 0.1-0.3 s).
MENU_CLOSING_MS = 2_000


class DisconnectDialog:
    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        self.dialog = Dialog(driver, driver.step.texts("dialog_titles"))

    def confirm(self) -> None:
        """The confirming button; done when the confirmation has gone (an error keeps it open)."""
        follow(self.driver, "dialog")
        closed = {"closed": lambda: not self.dialog.is_open()}
        if wait_for_any(self.driver, closed, self.driver.timeout_ms) is None:
            raise NoEffect("the confirmation to close", self.driver.visible_names(), "it stayed open")

    def locate_confirm(self, *, guessing: bool = False) -> Locator:
        """verify: the confirming button, found and never clicked. Only the confirmation's own controls count (a
        row's Remove behind it does not confirm). Guessing, wording the data does not know is taken from the
        confirmation's control most like the documented label (drift), never its Cancel."""
        driver = self.driver
        step = driver.step
        titles = step.texts("dialog_titles")
        self._menu_gone(titles)
        routes = [route for route in step.routes if route.labels]
        firsts = [route.labels[0] for route in routes]
        found = find(driver, firsts, "dialog")
        own = _in_the_confirmation(found.candidates, found.scan.layers, titles)
        chosen = choose(own, firsts)
        names = driver.nearest_names(step.documented.labels)
        if chosen is not None:
            route = next(route for route in routes if route.labels[0] == chosen.label)
            lead = [] if route.documented else [route.labels[0]]
            driver.took(Match(route, [*lead, *(name for name in names if name not in lead)]))
            return found.scan.locator(chosen.index)
        closers = driver.tutorial.close
        guessed = guess(driver, step.documented.labels, in_layer=True, besides=closers) if guessing else None
        if guessed is not None:
            route = Route(f'nearest visible control "{guessed.name}"', (guessed.name,))
            driver.took(Match(route, leading(guessed.name, names)))
            return guessed.control
        raise ControlNotFound(step.expected, names, timed_out=found.timed_out)

    def _menu_gone(self, titles: Sequence[str]) -> None:
        """Waits (a moment at most) for the options menu that opened the confirmation to finish closing: while it
        fades out its "Disconnect" item is still on screen, above the confirmation, and is no confirming button.
        A layer that stays (a message) only costs the wait."""

        def only_the_confirmation() -> bool:
            return all(layer.modal or _titled(layer, titles) for layer in self.driver.eyes.layers())

        wait_for_any(self.driver, {"menu gone": only_the_confirmation}, min(MENU_CLOSING_MS, self.driver.timeout_ms))

    def cancel(self) -> None:
        """Leave without disconnecting: the confirmation's Cancel or close button, else Escape; done when it has
        gone (verify opens it only to see that its confirming button is there)."""
        self.dialog.close()


def _in_the_confirmation(
    candidates: Sequence[Candidate], layers: Sequence[Layer], titles: Sequence[str]
) -> list[Candidate]:
    """The candidates in the confirmation: the layer titled like its question, else a modal dialog's, else any
    layer's (a pop-over confirmation). The options menu that opened it may still be fading out above it, its
    "Disconnect" item visible: that item does not confirm."""
    layered = in_layers(candidates)
    titled = {f"layer{layer.index}" for layer in layers if _titled(layer, titles)}
    modal = {f"layer{layer.index}" for layer in layers if layer.modal}
    chosen = titled or modal
    return [c for c in layered if c.region in chosen] if chosen else layered


def _titled(layer: Layer, titles: Sequence[str]) -> bool:
    """The layer is titled like the confirmation's question ("Disconnect this TikTok account?")."""
    return any(title.casefold() in layer.title.casefold() for title in titles)
