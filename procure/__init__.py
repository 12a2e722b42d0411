"""procure: turn a DoD facility's iovera° treatment plan into a priced DLA ECAT order."""

__version__ = "0.1.0"
