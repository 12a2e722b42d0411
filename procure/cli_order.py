"""`procure example | check | plan | build`: from a request to an order."""

COMMANDS = []
