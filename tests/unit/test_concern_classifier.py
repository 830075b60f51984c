"""The whole-message concern classifier: labels, training, and what it adds to a parse."""
from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlp.concern_classifier import RANKING_KEY, ConcernClassifier, example_concerns
from nlp.whole_message import WholeMessageFeaturizer

DESCRIPTIONS = {
    "stretch_marks": ["silvery lines on my hips after my baby", "purple streaks on my belly since pregnancy",
                      "zigzag stripes on my thighs from a growth spurt", "white lines on my tummy after weight loss"],
    "loose_skin": ["my jawline has dropped", "my neck skin hangs now", "skin on my arms is saggy and crepey",
                   "my cheeks droop since I turned fifty"],
    "texture_tone": ["my skin has no glow any more", "my face looks dull and grey", "rough bumpy skin on my cheeks",
                     "my complexion looks tired and flat"],
}
NEGATIVES = ["hello there", "what time do you open", "tell me a joke", "thanks a lot", "how long does a session take",
             "is it safe", "what's the weather", "bye"]


def training_data() -> TrainingData:
    examples = [Message(data={"text": t, "intent": "describe_concern", "metadata": {"example": {"concern": c}}})
                for c, texts in DESCRIPTIONS.items() for t in texts]
    examples += [Message(data={"text": t, "intent": "out_of_scope"}) for t in NEGATIVES]
    return TrainingData(training_examples=examples)


class Featurised:
    """The shared featuriser, trained, and a classifier that reads its features (as in config.yml)."""

    def __init__(self, featurizer: WholeMessageFeaturizer, component: ConcernClassifier) -> None:
        self.featurizer, self.component = featurizer, component

    def process(self, messages):
        return self.component.process(self.featurizer.process(messages))


def featurised_training_data(storage: LocalModelStorage) -> tuple:
    featurizer = WholeMessageFeaturizer(storage, Resource("features"))
    data = training_data()
    featurizer.train(data)
    return featurizer, featurizer.process_training_data(data)


@pytest.fixture(scope="module")
def classifier(tmp_path_factory) -> Featurised:
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("concern_classifier")
    config = {**ConcernClassifier.get_default_config(), "accept_threshold": 0.5}
    featurizer, data = featurised_training_data(storage)
    ConcernClassifier(config, storage, resource).train(data)
    features = WholeMessageFeaturizer.load({}, storage, Resource("features"), None)
    assert features is not featurizer
    return Featurised(features, ConcernClassifier.load(config, storage, resource, None))


def parse(classifier: Featurised, text: str, intent: str = "describe_concern",
          confidence: float = 0.9, entities=()) -> Message:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "entities": [dict(e) for e in entities]})
    classifier.process([message])
    return message


def concerns(message: Message):
    return [e["value"] for e in message.get("entities") if e["entity"] == "concern"]


def test_labels_come_from_entities_and_from_metadata():
    named = Message(data={"text": "acne scars", "entities": [{"entity": "concern", "value": "acne_scars"},
                                                             {"entity": "body_area", "value": "face"}]})
    described = Message(data={"text": "x", "metadata": {"example": {"concern": ["stretch_marks", "loose_skin"]}}})
    assert example_concerns(named) == ["acne_scars"]
    assert example_concerns(described) == ["stretch_marks", "loose_skin"]
    assert example_concerns(Message(data={"text": "hi"})) == []


def test_a_described_concern_becomes_a_concern_entity_after_loading(classifier):
    message = parse(classifier, "silvery streaks on my hips since the baby")
    assert concerns(message) == ["stretch_marks"]
    entity = message.get("entities")[0]
    assert entity["extractor"] == "ConcernClassifier" and 0.5 <= entity["confidence_entity"] <= 1
    ranking = message.get(RANKING_KEY)
    assert ranking[0]["concern"] == "stretch_marks"
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)


def test_a_concern_named_by_a_span_is_kept_and_nothing_unsure_is_added(classifier):
    named = {"entity": "concern", "value": "wrinkles", "start": 15, "end": 23, "extractor": "SpacyEntityExtractor"}
    message = parse(classifier, "what about my wrinkles", entities=[named])
    assert concerns(message) == ["wrinkles"]


@pytest.mark.parametrize("intent", ["inform", "affirm", "greet", "red_flag_infection"])
def test_no_concern_is_added_to_answers_small_talk_or_red_flags(classifier, intent):
    message = parse(classifier, "silvery streaks on my hips since the baby", intent=intent)
    assert concerns(message) == []
    assert message.get(RANKING_KEY)[0]["concern"] == "stretch_marks"


def test_a_skipped_intent_the_model_was_unsure_of_does_not_count(classifier):
    message = parse(classifier, "silvery streaks on my hips since the baby", intent="inform", confidence=0.3)
    assert concerns(message) == ["stretch_marks"]


def test_a_message_about_no_concern_gets_none(classifier):
    message = parse(classifier, "what time do you open on saturday", intent="nlu_fallback", confidence=0.2)
    assert concerns(message) == []


def test_an_empty_message_is_left_alone(classifier):
    message = parse(classifier, "   ")
    assert message.get(RANKING_KEY) is None and concerns(message) == []


def test_a_second_concern_the_classifier_is_sure_of_is_added_to_a_named_one(classifier):
    named = {"entity": "concern", "value": "wrinkles", "start": 0, "end": 11, "extractor": "SpacyEntityExtractor"}
    message = parse(classifier, "crow's feet and purple streaks on my belly since pregnancy", entities=[named])
    assert concerns(message) == ["wrinkles", "stretch_marks"]


def test_a_span_concern_the_classifier_rules_out_gives_way_when_it_is_sure(tmp_path):
    storage = LocalModelStorage(tmp_path)
    config = {**ConcernClassifier.get_default_config(), "override_threshold": 0.6, "veto_threshold": 0.2}
    component = ConcernClassifier(config, storage, Resource("c"))
    featurizer, data = featurised_training_data(storage)
    component.train(data)
    wrong = {"entity": "concern", "value": "texture_tone", "start": 0, "end": 5, "extractor": "SpacyEntityExtractor"}
    message = parse(Featurised(featurizer, component), "silvery streaks on my hips since the baby", entities=[wrong])
    assert concerns(message) == ["stretch_marks"]
