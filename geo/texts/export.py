"""Texts of exporting a layer to a file (``gridmap export`` and the pages' downloads)."""

TEXTS: dict[str, dict[str, str]] = {
    "export.unknown_format": {
        "en": "cannot export to {name}: use .geojson, .gpkg, .zip (zipped Shapefile), "
        ".csv or .xlsx.",
        "zh": "无法导出为 {name}：请使用 .geojson、.gpkg、.zip（压缩的 Shapefile）、"
        ".csv 或 .xlsx。",
    },
    "export.unknown_layer": {
        "en": "unknown layer {value}; the layers are: {known}",
        "zh": "没有图层 {value}；可用的图层有：{known}",
    },
    "export.no_geometry": {
        "en": "{layer} has no geometry; export it to .csv or .xlsx.",
        "zh": "{layer} 没有几何信息，请导出为 .csv 或 .xlsx。",
    },
    "export.no_folder": {
        "en": "folder {folder} does not exist; create it first.",
        "zh": "文件夹 {folder} 不存在，请先创建。",
    },
    "export.is_store": {
        "en": "{path} is the store itself; export to another file.",
        "zh": "{path} 就是数据存储本身，请导出到其他文件。",
    },
    "export.write_failed": {
        "en": "cannot write {name}: {reason}",
        "zh": "无法写入 {name}：{reason}",
    },
    "export.mixed_geometries": {
        "en": "{layer} mixes points and polygons, and a Shapefile holds one kind; "
        "export to .gpkg or .geojson instead.",
        "zh": "{layer} 中既有点又有面，而 Shapefile 只能存一种几何类型；"
        "请改为导出 .gpkg 或 .geojson。",
    },
    "export.too_many_rows": {
        "en": "{layer} has {n} rows, more than an Excel sheet holds; export to .csv.",
        "zh": "{layer} 有 {n} 行，超出 Excel 工作表的容量，请导出为 .csv。",
    },
    "export.cell_too_long": {
        "en": "a value in {layer} is {n} characters, more than an Excel cell holds; "
        "export to .gpkg or .csv.",
        "zh": "{layer} 中有一个值长达 {n} 个字符，超出 Excel 单元格的容量；"
        "请导出为 .gpkg 或 .csv。",
    },
}
