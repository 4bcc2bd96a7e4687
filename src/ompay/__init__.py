"""OMPAY: mobile-money wallet and merchant-payment backend."""

__version__ = "0.1.0"
