"""Helpers the test suite shares: real BPMN clients (bpmnlint, bpmn-js in Debian's chromium).

``browser`` launches chromium through Playwright without ever downloading a browser,
``bpmnlint`` runs bpmnlint's recommended rules through Node, ``bpmnjs`` drives a bpmn-js Modeler
in a page, and ``fixtures`` holds the pytest fixtures built on them (session-scoped, so one
browser serves the whole run).
"""
