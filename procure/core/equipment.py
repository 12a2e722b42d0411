"""The equipment an order is planned for: the handpieces it can rely on and the generation of the plan.

The first step after loading: planning packs only parts some available
handpiece accepts, and the rules judge compatibility against the same equipment.
"""


from procure.core.catalog import CatalogVersion, Part
from procure.core.record import Record
from procure.core.request import Request


class Equipment(Record):
    handpieces: tuple[Part, ...]
    """Installed plus ordered, known to the catalog."""
    generation: int | None
    """The generation the treatments are planned for; None when it cannot be decided."""
    accepted: frozenset[str]
    """Parts some available handpiece accepts."""


def equipment_of(request: Request, version: CatalogVersion) -> Equipment:
    numbers = list(request.installed) + [line.part for line in request.lines]
    handpieces = []
    for number in numbers:
        part = version.part(number)
        if part and part.kind == "handpiece" and part not in handpieces:
            handpieces.append(part)
    generations = sorted({h.generation for h in handpieces})
    if request.generation is not None:
        generation = request.generation if request.generation in generations else None
    else:
        generation = generations[0] if len(generations) == 1 else None
    accepted = frozenset(n for h in handpieces for row in version.compatibility if row.handpiece == h.part
                         for n in row.accepts)
    return Equipment(handpieces=tuple(handpieces), generation=generation, accepted=accepted)
