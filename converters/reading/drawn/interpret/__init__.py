"""The one interpreter of every picture: ``table`` (cells, columns, words), ``arrows``
(branches between symbols), ``header_text`` (the identity block), ``interpreter`` (the SOP)."""
