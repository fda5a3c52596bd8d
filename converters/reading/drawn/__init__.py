"""Reading the drawing itself: extractors turn a PDF, a scan, a Word or an Excel file into a
:class:`~converters.reading.drawn.picture.Picture`; one interpreter turns any picture into the
SOP table (roles from the symbols' columns, branches from the arrows).

``picture`` and ``geometry`` are shared by everyone; the extractors (``pdf/``, ``scan/``,
``office/``) and the interpreter (``interpret/``) depend on them and never on each other,
except that ``pdf.raster`` reads pixels with the scan modules; ``reading`` picks the extractor
and runs the interpreter.
"""
