"""The PDF extractors: ``vector`` reads the drawn paths and words (pdfplumber) and finds the
ruled table from its strokes (``ruling``); ``raster`` reads a typed PDF whose flowchart is a
pasted picture, its drawing through the scan modules and its words from the text layer."""
