"""File formats, one module each; ``review.formats.registry`` holds the ``FORMATS`` registry."""
