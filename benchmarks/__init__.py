"""Benchmarks: Bounceback against a bare discord.py bot, both driven through the sandbox.

``python benchmarks/run.py`` is the one command; see README.md for what it measures and why
the two bots are measured in alternating rounds.
"""
