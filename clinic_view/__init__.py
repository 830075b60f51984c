"""The clinic's view of the assistant: a report of counts, and a review of what it did not understand.

Both read the tracker store configured in an endpoints file, only within the
retention window, and never show one visitor's conversation. May import
`assistant` (the contract's names) and Rasa's tracker-store readers; never
`actions` or `channels`.
"""
