"""calpae: trustworthy data from the CALPAE documents of French départements."""

__version__ = "0.1.0"
