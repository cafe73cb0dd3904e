"""Use cases of Bounceback; they take repositories, the clock and content, never discord."""
