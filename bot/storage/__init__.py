"""storage layer of Bounceback."""
