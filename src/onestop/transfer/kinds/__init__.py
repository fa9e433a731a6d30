"""The four lists that can be imported and exported (LZ 4.1)."""

from __future__ import annotations

from onestop.transfer.kinds.base import Importer
from onestop.transfer.kinds.experts import ExpertImporter
from onestop.transfer.kinds.institutions import InstitutionImporter
from onestop.transfer.kinds.offerings import OfferingImporter
from onestop.transfer.kinds.stations import StationImporter
from onestop.transfer.models import ImportKind

IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.INSTITUTION: InstitutionImporter,
    ImportKind.OFFERING: OfferingImporter,
    ImportKind.EXPERT: ExpertImporter,
    ImportKind.STATION: StationImporter,
}

__all__ = ["IMPORTERS", "Importer"]
