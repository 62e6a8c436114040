"""Content stage: files under content/ → parsed entries.

``discover`` finds the files; ``readahead`` reads many at once; ``parse_file`` turns one
into an Entry and its text (with ``frontmatter``, ``fields``, ``markdown`` and
``prefilter``); ``parse_all`` does that for every file, reusing unchanged parses and
forking workers for many; ``entry_cache`` keeps the parses in .sitegen-cache/ between runs.
"""
