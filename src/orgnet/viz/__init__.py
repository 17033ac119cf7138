"""Rendering: interactive pyvis views and matplotlib charts (optional extras)."""
