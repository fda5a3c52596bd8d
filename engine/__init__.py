"""Alur engine: deploy, run and store SOP processes on SpiffWorkflow (no HTTP code here)."""
