"""The corpus: every disclosure a reviewer receives, stored with its versions, findings and values.

``db.open_corpus(url)`` opens (and migrates) the database; ``ingest.ingest`` reads, checks and stores
files; ``ledger``, ``compare`` and ``export`` query what is stored; ``commands/corpus.py`` holds the
``ingest``, ``corpus``, ``compare`` and ``export-corpus`` commands to the CLI.
"""
