"""Health data the visitor controls: deletion on request and retention (Rasa server side)."""
