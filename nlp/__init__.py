"""The project's own spaCy pipeline and the NLU data derived from the knowledge base."""
