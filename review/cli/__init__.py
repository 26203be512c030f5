"""The command line (``python -m review``): a thin shell over the Workbench."""
