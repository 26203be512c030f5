"""Reading order for review: what to read first so reviewers meet the errors early."""
