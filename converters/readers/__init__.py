"""SOP readers: one module per input shape; see converters.readers.read_sop."""
