"""The web product: server-rendered answer pages, the reviewer workflow and the JSON API
(FastAPI + Jinja2). ``create_app`` in :mod:`medcite.web.app` builds it."""
