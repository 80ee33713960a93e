"""Agents and the supervisor that runs them."""
