"""Custom actions of the skin-concern assistant (run with `rasa run actions`)."""
