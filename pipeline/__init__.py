"""Build tools: what is made from the knowledge base before training and serving.

The spaCy pipeline (`spacy_pipeline`, with the patterns of `patterns`) and the
generated files (`generated`: the NLU concern vocabulary, the domain's fixed
replies). May import the core (`assistant`) and spaCy; never `actions`,
`channels` or Rasa's server.
"""
