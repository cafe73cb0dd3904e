"""Pure rules of Bounceback: no discord, no I/O, only the standard library."""
