"""Input channels of the Rasa server that need more than Rasa's own."""
