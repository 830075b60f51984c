"""`rasa`, with TensorFlow loaded only if a component of the model uses it.

    python -m channels.server run --model ... (any `rasa` command line)

Rasa 3.6 imports TensorFlow on every start, whatever the model: its policy
and featuriser modules import `rasa.utils.train_utils`, which imports
TensorFlow (and, through it, Keras and JAX) at module level. This
assistant's model needs none of it (its classifiers are scikit-learn's), and
TensorFlow alone holds some 400 MB of the server's memory and several seconds
of its start (docs/measurements.md, "Where the time and memory go").

This entry point makes the modules that import TensorFlow at module level
lazy: they are registered when imported and executed the first time one of
their names is used (as `importlib.util.LazyLoader` does, except that the
import system's own look at `__spec__`, on every later `import` of the
module, does not count as a use). A model whose pipeline
or policies use DIET, TED or any other TensorFlow component uses their
names when it loads them, so TensorFlow is then loaded as before; only a
model without one runs without it. `tests/unit/test_lazy_tensorflow.py` checks
both cases.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
from types import ModuleType
from typing import Any, Dict, Optional, Sequence, Text

# Loaded lazily: TensorFlow itself (its own submodules import one another as usual once it runs)
# and Rasa's module that uses its names at module level, which every policy imports through
# `rasa.nlu.extractors.extractor` (found with `is_loaded` on a server start: see the module docstring).
LAZY_PACKAGES = ("tensorflow",)
LAZY_MODULES = ("rasa.utils.train_utils",)


def _is_lazy(name: str) -> bool:
    return name in LAZY_MODULES or name in LAZY_PACKAGES


# What the import system reads from a module without using it.
_NOT_A_USE = frozenset({"__spec__", "__name__", "__loader__", "__class__", "__dict__", "__repr__"})
_LOCK = threading.RLock()


class _LazyModule(ModuleType):
    """A module not executed yet: the first use of any of its names executes it."""

    def __getattribute__(self, attr: str) -> Any:
        if attr in _NOT_A_USE:
            return object.__getattribute__(self, attr)
        _execute(self)
        return getattr(self, attr)

    def __delattr__(self, attr: str) -> None:
        _execute(self)
        delattr(self, attr)


def _execute(module: ModuleType) -> None:
    with _LOCK:
        if object.__getattribute__(module, "__class__") is not _LazyModule:
            return
        object.__setattr__(module, "__class__", ModuleType)
        spec = module.__spec__
        assert spec is not None and spec.loader is not None
        spec.loader.exec_module(module)


class _LazyLoader(importlib.abc.Loader):
    """Wraps a module's loader: creates the module as it would, executes it on first use."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Optional[ModuleType]:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        module.__spec__.loader = self.loader  # type: ignore[union-attr]
        module.__loader__ = self.loader
        module.__class__ = _LazyModule


class LazyFinder(importlib.abc.MetaPathFinder):
    """Finds the lazy modules as the other finders do, and wraps their loader."""

    def find_spec(self, name: str, path: Optional[Sequence[str]] = None,
                  target: Optional[ModuleType] = None) -> Optional[importlib.machinery.ModuleSpec]:
        if not _is_lazy(name):
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _LazyLoader(spec.loader)
                return spec
        return None


def install() -> None:
    """Make the TensorFlow modules lazy from now on (before Rasa is imported).

    spaCy's thinc imports TensorFlow, when installed, to offer its TensorFlow
    layers; no spaCy pipeline of this project has one, so thinc is imported
    here first as if TensorFlow were not installed.
    """
    if any(isinstance(finder, LazyFinder) for finder in sys.meta_path):
        return
    if "thinc.compat" not in sys.modules and "tensorflow" not in sys.modules:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]  # `import tensorflow` fails
        try:
            import thinc.compat  # noqa: F401
        finally:
            del sys.modules["tensorflow"]
    sys.meta_path.insert(0, LazyFinder())


def is_loaded(name: str = "tensorflow") -> bool:
    """True once a module has really been executed (a lazy module only registered is not)."""
    module = sys.modules.get(name)
    return module is not None and object.__getattribute__(module, "__class__") is not _LazyModule


def serve_without_train_schema() -> None:
    """Load a model's training graph unresolved: a server never runs it.

    A trained model stores two graphs: the one that trained it and the one
    that answers. Rasa resolves every class of both when it loads a model,
    and the training graph's recipe validator imports DIET, TED and the
    other TensorFlow components whatever the model uses. The server only
    runs the answering graph (the training graph serves `rasa train
    --finetune`, which does not use this entry point), so here the training
    graph is left empty.
    """
    from rasa.engine.graph import GraphSchema
    from rasa.engine.storage.storage import ModelMetadata

    original = ModelMetadata.from_dict.__func__

    def from_dict(cls: type, serialized: Dict[Text, Any]) -> ModelMetadata:
        metadata = original(cls, {**serialized, "train_schema": {"nodes": {}}})
        metadata.train_schema = GraphSchema({})
        return metadata

    ModelMetadata.from_dict = classmethod(from_dict)


def main() -> None:
    install()
    serve_without_train_schema()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
