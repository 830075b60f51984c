"""Evaluation CLIs: the blind sets and cross-validation, scored on the replies the assistant gives.

May import the core (`assistant`), the NLU components (`nlp`, for
cross-validation), Rasa's agent (to parse with a trained model) and the
`harness` (the conversations are played against real servers); never
`actions` or `channels`: what a message gets is decided by
`assistant.decisions`, which the actions also call.
"""
