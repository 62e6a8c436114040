"""Rendering: Jinja2 templates from the theme chain, UI strings and localized dates."""
