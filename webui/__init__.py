"""Alur web UI: the Flask app factory, blueprints, templates, static assets and the CLI."""
