"""Reading a document into the SOP model.

Readers (``readers/``) turn each input shape into a :class:`~converters.reading.raw.RawDocument`;
the header, dates, durations, roles, evidence and inference modules complete it into a
:class:`~converters.model.Sop`. :func:`converters.reading.sop_file.read_sop` is the one entry
point for "give me the SOP in this file".
"""
