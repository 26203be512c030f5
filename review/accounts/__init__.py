"""Accounts: password hashing, login throttling, names, permissions and session
tokens."""
