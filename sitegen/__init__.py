"""sitegen: a bilingual static-site generator for government press offices."""

__version__ = "0.1.0"
