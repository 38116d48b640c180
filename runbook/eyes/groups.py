"""A side menu's group: a title that opens or closes the entries under it (a submenu) rather than a page.

A person who clicks such a title for a page (the tutorial's "Accounts") gets its first page when the title has
none of its own, and clicks it again when the click closed a group that was open."""

from __future__ import annotations

from itertools import takewhile

from runbook.eyes.answers import MenuItem
from runbook.eyes.driver import Driver
from runbook.eyes.waits import wait_for_any


def members(items: list[MenuItem], entry: str, before: list[str]) -> list[MenuItem]:
    """The entries of the group titled `entry` that the menu shows: those right after it standing deeper; in a
    menu that does not nest them, the item right after it when the click brought it (not in `before`)."""
    names = [item.name for item in items]
    if entry not in names:
        return []
    at = names.index(entry)
    deeper = list(takewhile(lambda item: item.level > items[at].level, items[at + 1 :]))
    if deeper:
        return deeper
    follower = items[at + 1] if at + 1 < len(items) else None
    return [follower] if follower is not None and follower.name not in before else []


def into_group(driver: Driver, selector: str, entry: str, before: list[str]) -> None:
    """After a click on the menu entry `entry` (marked `selector`) that left the page as it was: when it is a
    group's title, leave the group open and, where the tutorial's next step is on a page (not in the menu), open
    the group's first page, as the entry's link would have.

    A title that says whether its group is open (aria-expanded) is believed at once: a closing group's entries
    may still be fading out. Otherwise the group closed when the item that followed the entry went. Only the
    entry's own group counts: a style sheet arriving late hides the items that every group showed until then."""
    items = driver.eyes.menu_items()
    names = [item.name for item in items]
    title = next((item for item in items if item.name == entry), None)
    told = title is not None and title.expanded is not None
    if title is not None and title.expanded is not None:
        closed = not title.expanded
    else:
        was = before.index(entry) + 1 if entry in before else len(before)
        closed = was < len(before) and before[was] not in names
    reference = before
    if closed:
        driver.page.locator(selector).click(timeout=driver.timeout_ms)  # it closed the group: open it again
        reference = names
    shown = members(items, entry, reference)
    if told or closed:
        latest = {"items": items}

        def opened() -> bool:
            latest["items"] = driver.eyes.menu_items()
            return bool(members(latest["items"], entry, reference))

        wait_for_any(driver, {"open": opened}, driver.timeout_ms)
        shown = members(latest["items"], entry, reference)
    following = driver.tutorial.following(driver.step)
    if shown and following is not None and following.area != "navigation":
        url = driver.page.url
        driver.page.locator(shown[0].selector).click(timeout=driver.timeout_ms)
        wait_for_any(driver, {"page": lambda: driver.page.url != url}, driver.timeout_ms)
