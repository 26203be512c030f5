"""Importing files: streamed, staged, all-or-nothing writes of articles and their segments."""
