"""The safety reader: how urgent the danger a message tells of is, from its words and the conversation.

- `model.py`: a whole-message classifier over the safety corpus (data/safety/),
  a confidence per kind of red flag;
- `phrases.py`: the phrase lists of red_flags.yml as a backstop, with the
  words that set a match aside (accidents, questions about a risk, the past);
- `treatment.py`: a treatment the visitor had, and how long ago;
- `triage.py`: the decision: sure (the level's reply at once), possible (the
  answer with the warning signs) or none, for one message in its conversation.

Part of the core: imports `assistant` and scikit-learn only. The Rasa server
reads messages with it (nlp/safety_reader.py, nlp/intent_guard.py,
nlp/safety_policy.py), the actions add its warning signs, and the evaluation
(evaluation/safety.py) scores the same decision.
"""
