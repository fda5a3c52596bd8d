"""The scan extractor (OpenCV + Tesseract): ``extractor`` turns a scanned PDF or an image into
a picture; each stage works in pixels in its own module (``raster``, ``embedded``,
``rulings``, ``symbols``, ``gaps``, ``words``, ``numbers``, ``labels``, ``text``)."""
