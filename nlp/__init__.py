"""The Rasa server's NLU components (named in config.yml): entities, whole-message classifiers, the intent guard.

They load the spaCy pipeline built by `pipeline/` (in `nlp/build/`). May
import `assistant` and Rasa; never `actions`.
"""
