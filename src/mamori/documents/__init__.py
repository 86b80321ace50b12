"""Adapter: printable documents (HTML through Jinja2, PDF through reportlab) from domain reports."""
