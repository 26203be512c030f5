"""Text operations with no domain state: word diffs, spans through edits, sentence alignment."""
