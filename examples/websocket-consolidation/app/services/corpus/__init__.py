"""Corpus storage services."""
