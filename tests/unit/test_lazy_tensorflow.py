"""channels/server.py: the Rasa server's modules import without TensorFlow, which loads when a component needs it.

Each case runs in a fresh interpreter (TensorFlow, once loaded, stays loaded).
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

from harness.servers import ROOT


def run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def test_what_the_server_loads_for_this_model_imports_without_tensorflow():
    assert run("""
        from channels import server
        server.install()
        server.serve_without_train_schema()
        import spacy
        import rasa.core.agent, rasa.core.run, rasa.core.policies.rule_policy, rasa.core.policies.memoization
        import rasa.nlu.classifiers.fallback_classifier, rasa.nlu.extractors.spacy_entity_extractor
        import rasa.nlu.tokenizers.spacy_tokenizer, rasa.nlu.utils.spacy_utils
        import nlp.whole_message, nlp.intent_classifier, nlp.concern_classifier, nlp.intent_guard
        import channels.rest, channels.restricted_socketio, privacy.tracker_store
        print(server.is_loaded("tensorflow"), server.is_loaded("rasa.utils.train_utils"))
    """) == "False False"


def test_a_component_that_uses_tensorflow_loads_it():
    assert run("""
        from channels import server
        server.install()
        import rasa.core.agent
        from rasa.nlu.classifiers.diet_classifier import DIETClassifier
        import tensorflow as tf
        print(server.is_loaded("tensorflow"), tf.constant(2).numpy() * 21, DIETClassifier.__name__)
    """) == "True 42 DIETClassifier"

