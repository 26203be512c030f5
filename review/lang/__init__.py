"""Language codes and language detection from script."""
