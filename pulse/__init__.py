"""pulse: a trend-digest generator for people who publish a newsletter."""

__version__ = "0.1.0"
