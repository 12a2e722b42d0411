"""Entry point for `python -m procure`."""

from procure.cli import main

main()
