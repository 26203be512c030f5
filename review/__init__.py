"""MT Review Workbench: review machine translation next to model retranslations."""

__version__ = "0.1.0"
