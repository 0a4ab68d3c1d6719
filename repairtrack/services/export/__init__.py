"""The counselor export (SPEC section 6): `build_bundle` makes every file, `write_bundle` zips them."""

from repairtrack.services.export.bundle import (
    FILES,
    Bundle,
    ExportOptions,
    build_bundle,
    read_files,
    write_bundle,
)
from repairtrack.services.export.period import ExportRefused

__all__ = ["FILES", "Bundle", "ExportOptions", "ExportRefused", "build_bundle", "read_files", "write_bundle"]
