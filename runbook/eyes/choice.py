"""Choosing among what the engine found: the candidate a person would take, and the names most like a label.

Candidates are scored in the page (runbook/eyes/page/queries.js): visible text and accessible names, and the kind
of control. The top-most region that has one wins (a dialog before the page, the step's own area before the
rest); among its candidates the best score, and two that score alike are a tie, which fails naming both.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from runbook.core.errors import AmbiguousControl
from runbook.eyes.answers import Candidate, Seen

# Where each tutorial area's labels are looked for after the top-most dialog: the step's own region first.
AREAS: dict[str, list[str]] = {
    "navigation": ["menu", "content"],
    "menu": ["menu", "content"],
    "page": ["content", "menu"],
    "content": ["content", "menu"],
    "dialog": ["content", "menu"],
}
# How similar a visible name must be for verify to take it as the drifted control.
EXPLORE_THRESHOLD = 0.4
# Two candidates closer than this in score are a tie (page/queries.js scores: what it says 2-3, its kind 0-1.5).
TIE_MARGIN = 0.5


def regions(area: str) -> list[str]:
    """The regions a step's labels are looked for in, its own first."""
    return AREAS.get(area, AREAS["page"])


def similarity(expected: str, name: str) -> float:
    return SequenceMatcher(None, expected.casefold(), name.casefold()).ratio()


def alike(labels: Sequence[str], name: str) -> float:
    """How much `name` is like the most alike of `labels`."""
    return max(similarity(label, name) for label in labels)


def nearest(expected: Sequence[str], names: Sequence[str], limit: int = 5) -> list[str]:
    """The visible names most like any expected label, most similar first (in page order without labels)."""
    if not expected:
        return list(names[:limit])
    scored = [(alike(expected, name), name) for name in names]
    scored.sort(key=lambda pair: -pair[0])
    return [name for _, name in scored[:limit]]


def suggest(expected: Sequence[str], seen: Sequence[Seen], home: Seen | None, limit: int = 5) -> list[str]:
    """The names most like the expected labels, those standing where the documented control stands (`home`: its
    region and menu level; same dialog, same menu level) first when they are alike at all, then the rest: a
    renamed menu entry before look-alike words of the group it opens."""
    names = [each.name for each in seen]
    if not expected or home is None:
        return nearest(expected, names, limit)
    at_home = [
        each.name
        for each in seen
        if each.region == home.region and each.level == home.level and alike(expected, each.name) >= EXPLORE_THRESHOLD
    ]
    ranked = nearest(expected, at_home, limit) + nearest(expected, [n for n in names if n not in at_home], limit)
    return ranked[:limit]


def leading(first: str, names: Sequence[str]) -> list[str]:
    """`first`, then the other names (a route's own label ahead of the nearest visible ones)."""
    return [first, *(name for name in names if name != first)]


def choose(candidates: Sequence[Candidate], labels: Sequence[str]) -> Candidate | None:
    """The best candidate of the top-most region that has one, preferring earlier labels.

    Candidates that say the label about as well are one choice when they stand in one place (both close the open
    dialog): the better said, then the lower one, as a person takes a dialog's footer button over its corner icon.
    Standing in different places (two accounts' rows), they would do different things: that tie raises, naming
    both."""
    if not candidates:
        return None
    top = min(c.rank for c in candidates)
    in_region = [c for c in candidates if c.rank == top]
    for label in labels:
        said = sorted((c for c in in_region if c.label == label), key=lambda c: -c.score)
        if not said:
            continue
        tied = [c for c in said if said[0].score - c.score < TIE_MARGIN]
        elsewhere = next((c for c in tied if c.place != said[0].place), None)
        if elsewhere is not None:
            raise AmbiguousControl(
                f'one control "{label}"',
                [said[0].name, elsewhere.name],
                f"two controls say it equally: {said[0].described()} and {elsewhere.described()}",
            )
        return max(tied, key=lambda c: (c.score, c.y))
    return None


def in_layers(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Those in a dialog or popup over the page."""
    return [c for c in candidates if c.region.startswith("layer")]
