"""SOP ⇄ BPMN 2.0: names and XML helpers, the writer and its swimlane layout, the reader, the
validator (with the OMG schema in ``xsd/``).

Top-level ``bpmn/`` holds the process files; this package holds the code.
"""
