"""Accounts: password hashing, user and unit management over assistant.db."""
