"""Real servers for the tests and the benchmarks: Rasa, the action server, the demo page, PostgreSQL, Redis.

Started as `make run` starts them, on free loopback ports. May import the
standard library and `requests`; nothing of the assistant's own code.
"""
