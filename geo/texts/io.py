"""Texts of import: errors that refuse a file, reasons that reject a row, notes."""

TEXTS: dict[str, dict[str, str]] = {
    # --- the file as a whole ---------------------------------------------------
    "io.no_file": {
        "en": "{path} does not exist or is not a file.",
        "zh": "{path} 不存在或不是文件。",
    },
    "io.unknown_type": {
        "en": "cannot import {name}: unknown file type; use one of {known}.",
        "zh": "无法导入 {name}：文件类型未知；请使用以下类型之一：{known}。",
    },
    "io.empty_bytes": {"en": "{name} is empty (0 bytes).", "zh": "{name} 是空文件（0 字节）。"},
    "io.too_large": {
        "en": "{name} is {size}, more than the {limit} an import may be; "
        "split it into smaller files.",
        "zh": "{name} 大小为 {size}，超过单次导入上限 {limit}；请拆分成较小的文件。",
    },
    "io.too_many_features": {
        "en": "{name} has {n} {unit}, more than the {limit} an import may hold; "
        "split it into smaller files.",
        "zh": "{name} 含 {n} {unit}，超过单次导入上限 {limit}；请拆分成较小的文件。",
    },
    "io.too_many_vertices": {
        "en": "{name} has {n} vertices in all, more than the {limit} an import may hold; "
        "simplify the shapes (in QGIS: Vector ▸ Geometry Tools ▸ Simplify) or split the file.",
        "zh": "{name} 的顶点总数为 {n}，超过单次导入上限 {limit}；"
        "请先简化图形（QGIS：矢量 ▸ 几何工具 ▸ 简化）或拆分文件。",
    },
    "io.geojson_not_json": {
        "en": "cannot read {name} as GeoJSON: it is not valid JSON ({reason} at line {line}, "
        "column {column}).",
        "zh": "无法按 GeoJSON 格式读取 {name}：不是有效的 JSON"
        "（第 {line} 行第 {column} 列：{reason}）。",
    },
    "io.geojson_cut_short": {
        "en": "cannot read {name} as GeoJSON: the JSON stops in the middle (line {line}, "
        "column {column}); the file was probably cut short.",
        "zh": "无法按 GeoJSON 格式读取 {name}：JSON 在中途结束（第 {line} 行第 {column} 列），"
        "文件可能不完整。",
    },
    "io.geojson_not_object": {
        "en": 'cannot read {name} as GeoJSON: a GeoJSON file is one JSON object with a "type" '
        "(a FeatureCollection, a Feature or a geometry).",
        "zh": '无法按 GeoJSON 格式读取 {name}：GeoJSON 文件应是一个带 "type" 的 JSON 对象'
        "（FeatureCollection、Feature 或几何）。",
    },
    "io.geojson_type": {
        "en": 'cannot read {name} as GeoJSON: its "type" is {found}, where a '
        "FeatureCollection, a Feature or a geometry is expected.",
        "zh": '无法按 GeoJSON 格式读取 {name}：其 "type" 为 {found}，'
        "应为 FeatureCollection、Feature 或几何类型。",
    },
    "io.geojson_no_features": {
        "en": 'cannot read {name} as GeoJSON: it is a FeatureCollection without a "features" list.',
        "zh": '无法按 GeoJSON 格式读取 {name}：它是 FeatureCollection，但没有 "features" 列表。',
    },
    "io.unreadable": {
        "en": "cannot read {name} as {kind}: {reason}",
        "zh": "无法按 {kind} 格式读取 {name}：{reason}",
    },
    "io.no_layers": {"en": "{name} holds no layers.", "zh": "{name} 中没有图层。"},
    "io.shapefile_no_prj": {
        "en": "the Shapefile in {name} has no .prj file, so its coordinate system is unknown; "
        "give it with --crs (e.g. --crs 4326)",
        "zh": "{name} 中的 Shapefile 没有 .prj 文件，坐标系未知；"
        "请用 --crs 指定（例如 --crs 4326）",
    },
    "io.zip_escapes": {
        "en": "{name} contains {member!r}, a path that escapes its folder; refusing the file.",
        "zh": "{name} 含有路径 {member!r}，会跳出解压目录；拒绝该文件。",
    },
    "io.zip_too_large": {
        "en": "{name} would unpack to {size}, more than {limit}; refusing it.",
        "zh": "{name} 解压后将达 {size}，超过上限 {limit}；拒绝该文件。",
    },
    "io.zip_bomb": {
        "en": "{name} is compressed {ratio}× (more than {limit}×), which looks like a zip bomb; "
        "refusing it.",
        "zh": "{name} 的压缩比为 {ratio} 倍（超过 {limit} 倍），疑似压缩炸弹；拒绝该文件。",
    },
    "io.no_shapefile": {
        "en": "{name} holds no Shapefile (.shp).",
        "zh": "{name} 中没有 Shapefile（.shp）。",
    },
    "io.csv_empty": {
        "en": "{name} is empty: it has no header and no rows.",
        "zh": "{name} 是空的：没有表头，也没有数据行。",
    },
    "io.csv_encoding": {
        "en": "cannot read {name}: it is neither UTF-8 nor GB18030 text.",
        "zh": "无法读取 {name}：既不是 UTF-8 也不是 GB18030（GBK）编码的文本。",
    },
    "io.sheet_empty": {
        "en": "{name} is empty: its first sheet has no header and no rows.",
        "zh": "{name} 是空的：第一个工作表没有表头，也没有数据行。",
    },
    # --- columns ----------------------------------------------------------------
    "io.map_no_field": {
        "en": "--map {field}={column}: {layer} has no field {field!r}; its fields are: {fields}.",
        "zh": "--map {field}={column}：{layer} 没有字段 {field!r}；可用字段为：{fields}。",
    },
    "io.map_coordinates": {
        "en": "--map {field}={column}: lon, lat and geometry can be mapped only in CSV and "
        "Excel files; spatial files carry their own geometry.",
        "zh": "--map {field}={column}：只有 CSV 和 Excel 文件可以指定 lon、lat 和 geometry 列；"
        "空间数据文件自带几何。",
    },
    "io.map_no_column": {
        "en": "--map {field}={column}: {name} has no column {column!r}; its columns are: "
        "{columns}.",
        "zh": "--map {field}={column}：{name} 中没有列 {column!r}；文件中的列为：{columns}。",
    },
    "io.no_key_column": {
        "en": "{name} has no {column} column ({layer} need one); its columns are: {columns}. "
        "Name it with --map {column}=COLUMN.",
        "zh": "{name} 缺少 {column} 列（{layer} 图层必需）；文件中的列为：{columns}。"
        "请用 --map {column}=列名 指定。",
    },
    "io.no_key_column@page": {
        "en": "{name} has no {column} column ({layer} need one); its columns are: {columns}. "
        "Choose it under “Columns and fields”.",
        "zh": "{name} 缺少 {column} 列（{layer} 图层必需）；文件中的列为：{columns}。"
        "请在“列与字段对应”中选择。",
    },
    "io.no_key_column@quick": {
        "en": "{name} has no {column} column ({layer} need one); its columns are: {columns}. "
        "Import it on the “Data” page to choose it (under “Columns and fields”).",
        "zh": "{name} 缺少 {column} 列（{layer} 图层必需）；文件中的列为：{columns}。"
        "请在“数据”页导入，并在“列与字段对应”中选择。",
    },
    "io.no_community_column": {
        "en": "{name} has no community_id column; its columns are: {columns}. Give the "
        "community's id with --community ID, or name its column with --map community_id=COLUMN.",
        "zh": "{name} 缺少 community_id 列；文件中的列为：{columns}。请用 --community 编号 "
        "指定社区编号，或用 --map community_id=列名 指定所在列。",
    },
    "io.no_community_column@page": {
        "en": "{name} has no community_id column; its columns are: {columns}. Choose the "
        "community under “Community of rows that name none”, or its column under “Columns "
        "and fields”.",
        "zh": "{name} 缺少 community_id 列；文件中的列为：{columns}。请在“未写明社区的行属于”中"
        "选择社区，或在“列与字段对应”中选择所在列。",
    },
    "io.note.ignored_columns": {
        "en": "ignored columns that are not fields of {layer}: {columns}",
        "zh": "已忽略不属于 {layer} 字段的列：{columns}",
    },
    "io.note.report_ids": {
        "en": "ignored the report_id column: the store numbers reports itself",
        "zh": "已忽略 report_id 列：诉求编号由系统自动生成",
    },
    "io.note.report_ids_hint": {
        "en": "ignored the report_id column: the store numbers reports itself; to keep them as "
        "the source's ids, import with --map external_id=report_id",
        "zh": "已忽略 report_id 列：诉求编号由系统自动生成；如需保留为来源编号，"
        "请用 --map external_id=report_id 导入",
    },
    "io.note.report_ids_hint@page": {
        "en": "ignored the report_id column: the store numbers reports itself; to keep them as "
        "the source's ids, choose report_id for “Source's id” under “Columns and fields” on "
        "the “Data” page",
        "zh": "已忽略 report_id 列：诉求编号由系统自动生成；如需保留为来源编号，"
        "请在“数据”页的“列与字段对应”中为“来源编号”选择 report_id",
    },
    # --- coordinates and geometry ---------------------------------------------
    "io.no_coordinates": {
        "en": "{name} has no coordinates: expected lon and lat columns (or 经度 and 纬度) or a "
        "WKT column; name them with --map lon=COLUMN lat=COLUMN.",
        "zh": "{name} 中没有坐标：需要经度、纬度两列（lon/lat 或 经度/纬度）或一列 WKT；"
        "请用 --map lon=列名 lat=列名 指定。",
    },
    "io.no_coordinates@page": {
        "en": "{name} has no coordinates: expected lon and lat columns (or 经度 and 纬度) or a "
        "WKT column; choose them under “Columns and fields”.",
        "zh": "{name} 中没有坐标：需要经度、纬度两列（lon/lat 或 经度/纬度）或一列 WKT；"
        "请在“列与字段对应”中选择。",
    },
    "io.no_coordinates@quick": {
        "en": "{name} has no coordinates: expected lon and lat columns (or 经度 and 纬度) or a "
        "WKT column; import it on the “Data” page to choose its columns (under “Columns and "
        "fields”).",
        "zh": "{name} 中没有坐标：需要经度、纬度两列（lon/lat 或 经度/纬度）或一列 WKT；"
        "请在“数据”页导入，并在“列与字段对应”中选择。",
    },
    "io.looks_projected": {
        "en": "coordinates look projected in {name} (e.g. {x}, {y}), not longitude and latitude "
        "in degrees; give --crs with their EPSG code (e.g. --crs 32650).",
        "zh": "{name} 中的坐标看起来是投影坐标（例如 {x}, {y}），而不是以度为单位的经纬度；"
        "请用 --crs 指定其 EPSG 代码（例如 --crs 32650）。",
    },
    "io.looks_projected@page": {
        "en": "coordinates look projected in {name} (e.g. {x}, {y}), not longitude and latitude "
        "in degrees; under “Coordinate system” choose “EPSG code…” and give theirs "
        "(e.g. 32650).",
        "zh": "{name} 中的坐标看起来是投影坐标（例如 {x}, {y}），而不是以度为单位的经纬度；"
        "请在“坐标系”中选择“EPSG 代码…”并填写其代码（例如 32650）。",
    },
    "io.looks_projected@quick": {
        "en": "coordinates look projected in {name} (e.g. {x}, {y}), not longitude and latitude "
        "in degrees; import it on the “Data” page and give their EPSG code under “Coordinate "
        "system” (e.g. 32650).",
        "zh": "{name} 中的坐标看起来是投影坐标（例如 {x}, {y}），而不是以度为单位的经纬度；"
        "请在“数据”页导入，并在“坐标系”中填写其 EPSG 代码（例如 32650）。",
    },
    "io.out_of_range_after": {
        "en": "coordinates in {name} fall outside longitude/latitude range after converting from "
        "{system} (e.g. {x}, {y}); check --crs.",
        "zh": "{name} 中的坐标从 {system} 转换后超出经纬度范围（例如 {x}, {y}）；请检查 --crs。",
    },
    "io.out_of_range_after@page": {
        "en": "coordinates in {name} fall outside longitude/latitude range after converting from "
        "{system} (e.g. {x}, {y}); check the “Coordinate system”.",
        "zh": "{name} 中的坐标从 {system} 转换后超出经纬度范围（例如 {x}, {y}）；请检查“坐标系”。",
    },
    "io.out_of_range_after@quick": {
        "en": "coordinates in {name} fall outside longitude/latitude range after converting from "
        "{system} (e.g. {x}, {y}); import it on the “Data” page and check its “Coordinate "
        "system” there.",
        "zh": "{name} 中的坐标从 {system} 转换后超出经纬度范围（例如 {x}, {y}）；"
        "请在“数据”页导入并检查“坐标系”。",
    },
    "io.reason.no_coordinates": {"en": "no coordinates", "zh": "没有坐标"},
    "io.reason.not_number": {
        "en": "{column}: {value} is not a number",
        "zh": "{column}：{value} 不是数字",
    },
    "io.reason.comma_number": {
        "en": "{column}: {value} is not a number (a comma is read as the decimal mark only when "
        "it is the one separator, as in 117,25)",
        "zh": "{column}：{value} 不是数字（只有当逗号是唯一的分隔符时才按小数点读取，如 117,25）",
    },
    "io.reason.no_geometry": {"en": "no geometry", "zh": "没有几何图形"},
    "io.reason.bad_wkt": {"en": "{column}: not valid WKT", "zh": "{column}：不是有效的 WKT"},
    "io.reason.out_of_range": {
        "en": "coordinates out of range ({where})",
        "zh": "坐标超出范围（{where}）",
    },
    "io.reason.not_finite": {
        "en": "coordinates that are not finite numbers (NaN or Infinity)",
        "zh": "坐标不是有限的数值（NaN 或 Infinity）",
    },
    "io.reason.too_many_vertices": {
        "en": "a shape of {n} vertices, more than the {limit} one shape may have; simplify it",
        "zh": "图形含 {n} 个顶点，超过单个图形上限 {limit}；请先简化",
    },
    "io.reason.geometry_type_unknown": {
        "en": "geometry of unknown type {value}",
        "zh": "几何类型 {value} 无法识别",
    },
    "io.reason.text_coordinates": {
        "en": "coordinates that are not numbers (e.g. {value})",
        "zh": "坐标不是数字（例如 {value}）",
    },
    "io.reason.not_a_feature": {
        "en": 'not a GeoJSON Feature (an object with "type": "Feature"): {value}',
        "zh": '不是 GeoJSON 要素（应为带 "type": "Feature" 的对象）：{value}',
    },
    "io.reason.malformed_geometry": {
        "en": "geometry cannot be read (e.g. too few points, or a ring that does not close)",
        "zh": "几何无法读取（例如点数过少或环未闭合）",
    },
    "io.reason.out_of_range_after": {
        "en": "coordinates out of range after converting from {system} ({where} in the file)",
        "zh": "从 {system} 转换后坐标超出范围（文件中为 {where}）",
    },
    "io.reason.wrong_type": {
        "en": "wrong geometry type: {kind} ({layer} need {wanted})",
        "zh": "几何类型不符：{kind}（{layer} 图层需要{wanted}）",
    },
    "io.wanted.points": {"en": "points", "zh": "点"},
    "io.wanted.polygons": {"en": "polygons", "zh": "面"},
    "io.wanted.points_or_polygons": {"en": "points or polygons", "zh": "点或面"},
    "io.reason.unrepairable": {
        "en": "invalid polygon that cannot be repaired ({reason})",
        "zh": "无效且无法修复的多边形（{reason}）",
    },
    "io.reason.several_parts": {
        "en": "a MultiPolygon of {parts} parts; {layer} need one polygon each",
        "zh": "含 {parts} 个部分的多面；{layer} 图层每条记录只能是一个多边形",
    },
    "io.note.swapped_one": {
        "en": "{count} row had latitude and longitude swapped; corrected (rows {rows})",
        "zh": "{count} 行的经纬度写反了，已更正（第 {rows} 行）",
    },
    "io.note.swapped": {
        "en": "{count} rows had latitude and longitude swapped; corrected (rows {rows})",
        "zh": "{count} 行的经纬度写反了，已更正（第 {rows} 行）",
    },
    "io.note.repaired": {
        "en": "repaired {count} invalid or self-intersecting polygon(s) ({unit} {rows})",
        "zh": "已修复 {count} 个无效或自相交的多边形（{unit} {rows}）",
    },
    "io.note.mended": {
        "en": "{n} geometries could not be read as written (e.g. a ring not closed) and were "
        "mended (features {rows})",
        "zh": "{n} 个几何无法按原样读取（例如环未闭合），已自动修补（第 {rows} 个要素）",
    },
    "io.unit.rows": {"en": "rows", "zh": "行"},
    "io.unit.features": {"en": "features", "zh": "要素"},
    # --- values ---------------------------------------------------------------
    "io.reason.not_kind": {
        "en": "{column}: {value} is not {what}",
        "zh": "{column}：{value} 不是{what}",
    },
    "io.reason.missing": {"en": "missing {column}", "zh": "缺少 {column}"},
    "io.kind.number": {"en": "a number", "zh": "数字"},
    "io.kind.whole_number": {"en": "a whole number", "zh": "整数"},
    "io.kind.yes_no": {"en": "yes or no", "zh": "是或否"},
    "io.kind.time": {"en": "a date and time", "zh": "日期时间"},
    # --- the import as a whole ----------------------------------------------------
    "io.no_rows": {"en": "{name} has no data rows.", "zh": "{name} 中没有数据行。"},
    "io.unknown_layer": {
        "en": "no layer {layer!r}; the layers are: {known}",
        "zh": "没有图层 {layer!r}；可用图层为：{known}",
    },
    "io.layer_without_geometry": {
        "en": "layer {layer} has no geometry and cannot be imported from a file.",
        "zh": "图层 {layer} 没有几何，不能从文件导入。",
    },
    "io.unknown_community": {
        "en": "community {community!r} is not in the store; known: {known} "
        "(import the community layer first)",
        "zh": "数据存储中没有社区 {community!r}；已有社区：{known}（请先导入社区图层）",
    },
    "io.no_community_yet": {
        "en": "{name} has no community_id and the store holds no community yet; say which "
        "community it belongs to with --community.",
        "zh": "{name} 没有 community_id，且数据存储中还没有社区；请用 --community 指明所属社区。",
    },
    "io.no_community_yet@page": {
        "en": "{name} has no community_id and the store holds no community yet; import the "
        "community boundary first (layer “Community boundary”).",
        "zh": "{name} 没有 community_id，且数据存储中还没有社区；"
        "请先导入社区边界（图层“社区边界”）。",
    },
    "io.which_community": {
        "en": "{name} has no community_id and the store holds {n} communities; say which "
        "community it belongs to with --community.",
        "zh": "{name} 没有 community_id，而数据存储中有 {n} 个社区；"
        "请用 --community 指明所属社区。",
    },
    "io.which_community@page": {
        "en": "{name} has no community_id and the store holds {n} communities; choose it under "
        "“Community of rows that name none”.",
        "zh": "{name} 没有 community_id，而数据存储中有 {n} 个社区；"
        "请在“未写明社区的行属于”中选择。",
    },
    "io.replace_reports": {
        "en": "--replace is not for reports: reports are never deleted by import.",
        "zh": "--replace 不适用于诉求：导入永远不会删除诉求。",
    },
    "io.replace_rejected": {
        "en": "--replace needs a file without bad rows; {n} were rejected (see {path}), and "
        "replacing would lose them. Nothing was written.",
        "zh": "--replace 要求文件中没有错误行；有 {n} 行被拒绝（见 {path}），替换会丢失这些行。"
        "未写入任何数据。",
    },
    "io.replace_empty": {
        "en": "{name} has no rows to replace the {layer} layer with.",
        "zh": "{name} 中没有可用来替换 {layer} 图层的行。",
    },
    "io.map_status_unknown": {
        "en": "--map-status {word}={status}: {status!r} is not a status; the statuses are: "
        "{known}.",
        "zh": "--map-status {word}={status}：{status!r} 不是有效状态；可用状态为：{known}。",
    },
    "io.reason.unknown_community": {
        "en": "community_id {value} is not in the store (known: {known})",
        "zh": "community_id {value} 不在数据存储中（已有：{known}）",
    },
    "io.reason.duplicate_key": {
        "en": "duplicate {key} {value} (first on {unit} {first})",
        "zh": "{key} {value} 重复（首次出现在第 {first} {unit}）",
    },
    "io.reason.bad_zone": {
        "en": "tz: {value} is not a time zone (e.g. Asia/Shanghai)",
        "zh": "tz：{value} 不是有效的时区（例如 Asia/Shanghai）",
    },
    "io.reason.rating": {
        "en": "rating: {value} is not between 1 and 5",
        "zh": "rating：{value} 不在 1 到 5 之间",
    },
    "io.reason.status": {
        "en": "status: {value} is not a status we know; map it with --map-status "
        "{word}=STATUS (one of submitted, accepted, dispatched, in_progress, resolved, closed, "
        "rejected, duplicate, escalated, reopened)",
        "zh": "status：无法识别状态 {value}；请用 --map-status {word}=状态 指定（可选 submitted、"
        "accepted、dispatched、in_progress、resolved、closed、rejected、duplicate、escalated、"
        "reopened）",
    },
    "io.reason.status@page": {
        "en": "status: {value} is not a status we know; say what it means under “Status words”",
        "zh": "status：无法识别状态 {value}；请在“状态词”中选择它表示的状态",
    },
    "io.reason.status@quick": {
        "en": "status: {value} is not a status we know; import the file on the “Data” page to "
        "say what it means (under “Status words”)",
        "zh": "status：无法识别状态 {value}；"
        "请在“数据”页导入此文件，并在“状态词”中选择它表示的状态",
    },
    "io.unit.row": {"en": "row", "zh": "行"},
    "io.unit.feature": {"en": "feature", "zh": "个要素"},
    "io.note.kept_rows": {
        "en": "{n} stored {layer} are not in the file and were kept; use --replace to replace "
        "the whole layer.",
        "zh": "已保留文件中未包含的 {n} 条原有 {layer} 记录；"
        "如需整体替换该图层，请使用 --replace。",
    },
    "io.note.kept_rows@page": {
        "en": "{n} stored {layer} are not in the file and were kept; to replace the whole layer, "
        "tick “Replace the whole layer of the community with this file”.",
        "zh": "已保留文件中未包含的 {n} 条原有 {layer} 记录；"
        "如需整体替换该图层，请勾选“用此文件替换该社区的整个图层”。",
    },
    "io.note.other_category": {
        "en": "{n} report(s) had a category not in the table ({examples}); stored as {fallback} "
        "with the original words in category_text",
        "zh": "{n} 件诉求的类别不在类别表中（{examples}）；已按 {fallback} 存储，"
        "原文保存在 category_text 中",
    },
    "io.note.status_words": {
        "en": "{n} report(s) gave their status in other words, kept in status_text: {pairs}",
        "zh": "{n} 件诉求的状态用了其他说法，原文保存在 status_text 中：{pairs}",
    },
    "io.note.no_external_id": {
        "en": "these reports have no external_id, so importing the file again would add them "
        "again; name the source's id with --map external_id=COLUMN",
        "zh": "这些诉求没有 external_id，再次导入同一文件会重复添加；"
        "请用 --map external_id=列名 指定来源编号",
    },
    "io.note.no_external_id@page": {
        "en": "these reports have no external_id, so importing the file again would add them "
        "again; choose the column of the source's ids for “Source's id” under “Columns and "
        "fields”",
        "zh": "这些诉求没有 external_id，再次导入同一文件会重复添加；"
        "请在“列与字段对应”中为“来源编号”选择来源编号所在的列",
    },
    "io.note.no_external_id@quick": {
        "en": "these reports have no external_id, so importing the file again would add them "
        "again; to keep the source's ids, import it on the “Data” page (“Source's id” under "
        "“Columns and fields”)",
        "zh": "这些诉求没有 external_id，再次导入同一文件会重复添加；"
        "如需保留来源编号，请在“数据”页导入（“列与字段对应”中的“来源编号”）",
    },
    "io.progress.reading": {"en": "Reading {name}…", "zh": "正在读取 {name}…"},
    "io.progress.checking": {"en": "Checking {n} rows…", "zh": "正在检查 {n} 行…"},
    "io.progress.checked": {
        "en": "{good} rows good, {rejected} rejected",
        "zh": "{good} 行有效，{rejected} 行被拒绝",
    },
    "io.progress.writing": {"en": "Writing {n} rows…", "zh": "正在写入 {n} 行…"},
    "io.progress.done": {"en": "Done", "zh": "完成"},
}
# The Reports page's import says the same as the Data page here: the text names the page.
TEXTS["io.note.report_ids_hint@quick"] = TEXTS["io.note.report_ids_hint@page"]
