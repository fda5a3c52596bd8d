"""Reading the drawing itself: extractors turn a PDF, a scan, a Word or an Excel file into a
:class:`~converters.reading.drawn.picture.Picture`; one interpreter turns any picture into the
SOP table (roles from the symbols' columns, branches from the arrows)."""
