"""Prompt and text templates (package data)."""
