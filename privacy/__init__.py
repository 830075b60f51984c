"""Health data the visitor controls (Rasa server side): the deleting tracker store and the retention purge.

May import `assistant` and Rasa; never `actions`.
"""
