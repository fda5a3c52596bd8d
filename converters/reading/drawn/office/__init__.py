"""The Word and Excel extractors: ``package`` guards the zip and parses its XML safely, then
hands the file to ``docx_shapes`` (DrawingML, with ``docx_vml`` for legacy VML shapes) or
``xlsx_shapes``."""
