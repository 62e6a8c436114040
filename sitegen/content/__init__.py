"""Content stage: files under content/ → parsed entries."""
