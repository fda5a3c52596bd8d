"""Drawing with Graphviz: the process view of any BPMN, and the official SOP AP document
(flowchart table, identity page, pages rendered to PDF/SVG/PNG/DOCX/HTML)."""
