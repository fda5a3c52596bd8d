"""Alur web UI: the Flask app factory, blueprints, templates, static assets and the CLI.

``create_app`` is re-exported lazily (module ``__getattr__``) so that ``import webui`` — which
every ``alur`` sub-command does — does not pay for importing Flask, Babel and WTForms.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from webui.app import create_app

        return create_app
    raise AttributeError(f"module 'webui' has no attribute {name!r}")
