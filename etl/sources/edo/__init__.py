"""Reader for electronic shipment documents of the ФНС formats, as EDO operators and 1C export them.

A УПД (универсальный передаточный документ, КНД 1115131; files ON_NSCHFDOPPR_*.xml) records a shipment,
a УКД (корректировочный документ, КНД 1115133 or 1115127; files ON_NKORSCHFDOPPR_*.xml) changes one. Both
come as XML in Windows-1251, one document a file, in format versions 5.01, 5.02 and 5.03 whose element
names differ; an EDO export is a .zip of such files in folders, beside signatures and PDFs.

The reader is pure: it turns files into :class:`EdoDocument` values (kopecks, dates, INNs as written) and
says which files it could not read and why. Deciding what a document means for the ledger is the load's job.
"""

from etl.sources.edo.model import EDO_SUFFIXES, EdoBasis, EdoDocument, EdoRead
from etl.sources.edo.reader import read_edo_path
from etl.sources.edo.sniff import is_edo_xml

__all__ = [
    "EDO_SUFFIXES",
    "EdoBasis",
    "EdoDocument",
    "EdoRead",
    "is_edo_xml",
    "read_edo_path",
]
