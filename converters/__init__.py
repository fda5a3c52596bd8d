"""Alur converters: SOP documents ⇄ the SOP model ⇄ BPMN 2.0, Graphviz diagrams, SOP documents.

No web or database code lives here (see ARCHITECTURE.md: webui → engine → converters)."""
