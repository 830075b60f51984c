"""The action server (`rasa run actions`): thin rasa_sdk adapters around the core.

Each action reads the tracker as a `State` (`tracking.py`), calls a decision
of `assistant.decisions` and sends the reply it returns; the questionnaire's
form validation (`questionnaire.py`) checks each answer with the core's
readers. May import `assistant` and rasa_sdk; nothing of `nlp`, `channels`
or the Rasa server.
"""
