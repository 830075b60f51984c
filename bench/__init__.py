"""Benchmarks that print figures: this assistant against the stock `rasa init` bot, and a flood.

Started with `python -m bench.benchmark` and `python -m bench.flood`. They
import the servers of `harness/` and nothing else of the project, and the
tests never import them.
"""
