"""The shared core: the knowledge base, the contract, and the decisions of which reply a message gets.

Used by both servers and every tool: the actions (`actions/`, the action
server), the NLU components (`nlp/`) and the Rasa-server side (`channels/`,
`privacy/`), the build tools (`pipeline/`), the evaluation (`evaluation/`)
and the clinic's view (`clinic_view/`). It imports none of them, and no
Rasa, rasa_sdk or Sanic code (`tests/unit/test_layout.py` checks both), so
it can be read, tested and reused without a server.
"""
