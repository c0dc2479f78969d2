"""Getting a community's own files in: read, map columns, check rows, write, reject.

The modules, in the order a file passes through them:

- :mod:`geo.io.readers`: each format (GeoJSON, GeoPackage, zipped Shapefile, KML,
  CSV, Excel) to a table of attributes and a column of geometries.
- :mod:`geo.io.columns`: the file's columns matched to the layer's fields.
- :mod:`geo.io.geometry`: points from coordinates, CRS to WGS 84, range and validity.
- :mod:`geo.io.values`: cells parsed to numbers, yes/no, timestamps and text.
- :mod:`geo.io.reports`: category, status, due time and rating of reports.
- :mod:`geo.io.rejects`: the reasons per row, and the rejects file.
- :mod:`geo.io.importer`: the pipeline, and the one write to the store.
"""

from geo.io.importer import ImportResult, import_file, read_source
from geo.io.readers import check_zip
from geo.io.rejects import rejects_path_for
from geo.io.values import parse_times

__all__ = [
    "ImportResult",
    "check_zip",
    "import_file",
    "parse_times",
    "read_source",
    "rejects_path_for",
]
