"""Whole packs: the cheapest mix of pack sizes that covers a number of units.

An unbounded knapsack: among mixes covering the need, the lowest cost, then the
fewest surplus units, then the fewest packs. When only some pack sizes have a
price, only those are used, so the order can be priced in full; when none has
one, the fewest surplus units, then the fewest packs.
"""

from decimal import Decimal

from procure.core.record import Record


class PackOption(Record):
    units: int
    price: Decimal | None


def choose_packs(need: int, options: list[PackOption]) -> list[int]:
    """How many packs of each option to order (a list aligned with `options`)."""
    counts = [0] * len(options)
    priced = [i for i, o in enumerate(options) if o.price is not None]
    usable = priced or list(range(len(options)))
    if need > 0 and options:
        chosen = _cheapest([options[i] for i in usable], need)
        for i, n in zip(usable, chosen, strict=True):
            counts[i] = n
    return counts


def _cheapest(options: list[PackOption], need: int) -> list[int]:
    """The best mix of options that are all priced, or all unpriced (then every cost counts as 0)."""
    costs = [o.price if o.price is not None else Decimal(0) for o in options]
    # Exchange argument: some best mix holds fewer than `best.units` packs of every other
    # option, so all but a bounded remainder can be filled with the best-value pack first.
    best = min(range(len(options)), key=lambda i: (costs[i] / options[i].units, -options[i].units, i))
    bound = sum(options[best].units * o.units for o in options) + max(o.units for o in options)
    prefill = max(0, (need - bound) // options[best].units)
    counts = _exact_search(need - prefill * options[best].units, options, costs)
    counts[best] += prefill
    return counts


def _exact_search(need: int, options: list[PackOption], costs: list[Decimal]) -> list[int]:
    """Dynamic programme over exact unit totals up to need + the largest pack - 1."""
    limit = need + max(o.units for o in options)
    best: list[tuple[Decimal, int, tuple[int, ...]] | None] = [None] * limit
    best[0] = (Decimal(0), 0, (0,) * len(options))
    for total in range(1, limit):
        for i, option in enumerate(options):
            before = best[total - option.units] if total >= option.units else None
            if before is None:
                continue
            counts = before[2][:i] + (before[2][i] + 1,) + before[2][i + 1:]
            candidate = (before[0] + costs[i], before[1] + 1, counts)
            current = best[total]
            if current is None or candidate < current:
                best[total] = candidate
    covering = [(b[0], total - need, b[1], b[2]) for total, b in enumerate(best) if total >= need and b]
    return list(min(covering)[3])
