"""Rendering: the Renderer (what every page template gets, and the fingerprint parts every
page shares), the page frame (menu, brand, footer), Jinja2 templates from the theme chain,
UI strings with localized dates, and the tables filter."""
