"""Bounceback: a Discord bot for job-search peer support groups."""

__version__ = "0.1.0"
