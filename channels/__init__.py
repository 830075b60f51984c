"""The Rasa server's side of the web: input channels, their checks and limits, the summary PDF route, Rasa patches.

Named in credentials.yml. May import `assistant` and Rasa/Sanic; never
`actions` (the action server may run on another machine).
"""
