"""The web application for the review office (``cnbudget serve``): the corpus behind pages and a JSON API.

Flow: ``app.create_app(settings)`` builds a FastAPI app whose routes come from the modules listed in
``app.ROUTES``; pages are Jinja2 templates (templates/), every text from the catalogs (messages/*/web.toml);
uploads go to ``storage`` by content hash and are read and checked by ``jobs`` in worker processes, with
their state in the corpus database. See docs/web.md.
"""
