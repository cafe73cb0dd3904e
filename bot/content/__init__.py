"""content layer of Bounceback."""
