"""Texts of the Data page: importing an office's own files and exporting layers."""

TEXTS: dict[str, dict[str, str]] = {
    "page.data": {"en": "Data", "zh": "数据"},
    "data.title": {"en": "Data: import and export", "zh": "数据：导入与导出"},
    "data.tab.import": {"en": "Import a file", "zh": "导入文件"},
    "data.tab.export": {"en": "Export a layer", "zh": "导出图层"},
    # --- layers ----------------------------------------------------------------
    "data.layer": {"en": "Layer", "zh": "图层"},
    "data.import_not_for_role": {
        "en": "Imports change the store's layers, which a {role} does not do; export below.",
        "zh": "导入会修改数据图层，{role}没有此权限；可在下方导出。",
    },
    "data.layer.community": {"en": "Community boundary", "zh": "社区边界"},
    "data.layer.grids": {"en": "Grids", "zh": "网格"},
    "data.layer.buildings": {"en": "Buildings", "zh": "楼栋"},
    "data.layer.chargers": {"en": "Chargers", "zh": "充电设施"},
    "data.layer.drying_areas": {"en": "Drying areas", "zh": "晾晒区"},
    "data.layer.reports": {"en": "Reports", "zh": "诉求"},
    "data.layer.report_events": {"en": "Report history", "zh": "诉求处理记录"},
    # --- upload ----------------------------------------------------------------
    "data.upload": {"en": "File", "zh": "文件"},
    "data.upload_help": {
        "en": "GeoJSON, GeoPackage, zipped Shapefile (.zip with .shp, .dbf, .shx, .prj), "
        "KML, CSV or Excel (.xlsx). CSV and Excel need longitude and latitude columns or "
        "a WKT column.",
        "zh": "GeoJSON、GeoPackage、Shapefile 压缩包（.zip，含 .shp、.dbf、.shx、.prj）、"
        "KML、CSV 或 Excel（.xlsx）。CSV 和 Excel 需要经度、纬度两列或一列 WKT。",
    },
    "data.choose_file": {
        "en": "Choose the layer, then upload a file to see what it holds before importing.",
        "zh": "先选择图层，再上传文件；导入前会先显示文件内容。",
    },
    "data.file_summary": {
        "en": "**{name}** · rows: {rows} · columns: {columns}",
        "zh": "**{name}** · 行数：{rows} · 列数：{columns}",
    },
    "data.sample": {"en": "First rows of the file", "zh": "文件前几行"},
    # --- columns ---------------------------------------------------------------
    "data.columns": {"en": "Columns and fields", "zh": "列与字段对应"},
    "data.columns_help": {
        "en": "Each field of the layer takes the file's column chosen here; the guesses can "
        "be changed. Fields marked * are required.",
        "zh": "图层的每个字段取自这里所选的文件列；已自动猜测，可以修改。带 * 的字段必填。",
    },
    "data.coordinates": {"en": "Coordinates", "zh": "坐标"},
    "data.more_fields": {
        "en": "Other fields ({n}, not found in the file)",
        "zh": "其他字段（{n} 个，文件中未找到）",
    },
    "data.no_column": {"en": "(not in the file)", "zh": "（文件中没有）"},
    "data.unused_columns": {
        "en": "Columns that feed no field and are left out: {columns}",
        "zh": "未对应任何字段、不导入的列：{columns}",
    },
    "data.missing_required": {
        "en": "Choose a column for the required field(s): {fields}.",
        "zh": "请为必填字段选择列：{fields}。",
    },
    "data.need_coordinates": {
        "en": "Choose the longitude and latitude columns (or a WKT geometry column) to place "
        "the rows on the map.",
        "zh": "请选择经度和纬度列（或 WKT 几何列），以便把各行放到地图上。",
    },
    # --- fields ----------------------------------------------------------------
    "data.field.lon": {"en": "Longitude", "zh": "经度"},
    "data.field.lat": {"en": "Latitude", "zh": "纬度"},
    "data.field.geometry": {"en": "Geometry (WKT)", "zh": "几何（WKT）"},
    "data.field.community_id": {"en": "Community id", "zh": "社区编号"},
    "data.field.name": {"en": "Name", "zh": "名称"},
    "data.field.code": {"en": "Code", "zh": "代码"},
    "data.field.street": {"en": "Street (街道)", "zh": "所属街道"},
    "data.field.tz": {"en": "Time zone", "zh": "时区"},
    "data.field.grid_id": {"en": "Grid code", "zh": "网格编号"},
    "data.field.worker_name": {"en": "Grid worker", "zh": "网格员"},
    "data.field.worker_phone": {"en": "Grid worker's phone", "zh": "网格员电话"},
    "data.field.version": {"en": "Version", "zh": "版本"},
    "data.field.building_id": {"en": "Building id", "zh": "楼栋编号"},
    "data.field.address": {"en": "Address", "zh": "地址"},
    "data.field.year_built": {"en": "Year built", "zh": "建成年份"},
    "data.field.floors": {"en": "Floors", "zh": "层数"},
    "data.field.units": {"en": "Units (entrances)", "zh": "单元数"},
    "data.field.households": {"en": "Households", "zh": "户数"},
    "data.field.elevator": {"en": "Elevator", "zh": "电梯"},
    "data.field.elderly_share": {"en": "Share of elderly residents", "zh": "老年人占比"},
    "data.field.renovation": {"en": "Renovation items", "zh": "改造项目"},
    "data.field.charger_id": {"en": "Charger id", "zh": "充电设施编号"},
    "data.field.kind": {"en": "Kind", "zh": "类型"},
    "data.field.ports": {"en": "Ports", "zh": "接口数"},
    "data.field.operator": {"en": "Operator", "zh": "运营方"},
    "data.field.status": {"en": "Status", "zh": "状态"},
    "data.field.area_id": {"en": "Drying area id", "zh": "晾晒区编号"},
    "data.field.capacity": {"en": "Capacity", "zh": "容量"},
    "data.field.external_id": {"en": "Source's id", "zh": "来源编号"},
    "data.field.category": {"en": "Category", "zh": "类别"},
    "data.field.category_text": {"en": "Category as written", "zh": "原始类别文字"},
    "data.field.description": {"en": "Description", "zh": "描述"},
    "data.field.source": {"en": "Channel", "zh": "来源渠道"},
    "data.field.reporter_name": {"en": "Reporter", "zh": "反映人"},
    "data.field.reporter_phone": {"en": "Reporter's phone", "zh": "反映人电话"},
    "data.field.created_at": {"en": "Created", "zh": "创建时间"},
    "data.field.status_text": {"en": "Status as written", "zh": "原始状态文字"},
    "data.field.assignee": {"en": "Assignee", "zh": "处理人"},
    "data.field.due_at": {"en": "Due", "zh": "办理期限"},
    "data.field.closed_at": {"en": "Closed", "zh": "办结时间"},
    "data.field.rating": {"en": "Rating (1–5)", "zh": "评价（1–5）"},
    "data.field.escalation_level": {"en": "Escalation level", "zh": "上报层级"},
    "data.field.duplicate_of": {"en": "Duplicate of", "zh": "重复于"},
    # --- community and CRS -----------------------------------------------------
    "data.community": {
        "en": "Community of rows that name none",
        "zh": "未写明社区的行属于",
    },
    "data.community_help": {
        "en": "Rows with a community_id of their own keep it; it must be a stored community.",
        "zh": "自带社区编号的行保持不变，但该社区须已存在。",
    },
    "data.no_community": {
        "en": "The store holds no community yet: import the community boundary first "
        "(layer “Community boundary”).",
        "zh": "数据存储中还没有社区：请先导入社区边界（图层“社区边界”）。",
    },
    "data.new_community_id": {
        "en": "Community id for a boundary without one",
        "zh": "边界没有社区编号时使用的编号",
    },
    "data.new_community_help": {
        "en": "A short code without spaces, e.g. tj-xinli. Leave empty when the file has a "
        "community_id column.",
        "zh": "不含空格的简短代码，例如 tj-xinli。文件自带 community_id 列时留空。",
    },
    "data.crs": {"en": "Coordinate system", "zh": "坐标系"},
    "data.crs.file": {"en": "As the file says: {name}", "zh": "按文件声明：{name}"},
    "data.crs.wgs84": {"en": "WGS 84 (GPS, OpenStreetMap)", "zh": "WGS 84（GPS、OpenStreetMap）"},
    "data.crs.gcj02": {"en": "GCJ-02 (AMap, Tencent)", "zh": "GCJ-02（高德、腾讯）"},
    "data.crs.bd09": {"en": "BD-09 (Baidu)", "zh": "BD-09（百度）"},
    "data.crs.epsg": {"en": "EPSG code…", "zh": "EPSG 代码…"},
    "data.epsg": {"en": "EPSG code", "zh": "EPSG 代码"},
    "data.epsg_help": {
        "en": "e.g. 32650 (UTM zone 50N), 4548 (CGCS2000 3° Gauss-Krüger CM 117E)",
        "zh": "例如 32650（UTM 50N 带）、4548（CGCS2000 3度带 中央经线 117E）",
    },
    "data.crs_basis.file": {
        "en": "The file declares its coordinate system.",
        "zh": "文件自带坐标系声明。",
    },
    "data.crs_basis.degrees": {
        "en": "The coordinates are longitudes and latitudes: WGS 84 unless they come from "
        "AMap (GCJ-02) or Baidu (BD-09).",
        "zh": "坐标为经纬度：若来自高德（GCJ-02）或百度（BD-09）请改选，否则为 WGS 84。",
    },
    "data.crs_basis.metres": {
        "en": "The coordinates are in metres; {crs} puts them on the community.",
        "zh": "坐标以米为单位；按 {crs} 换算后落在社区内。",
    },
    "data.crs_basis.metres_unchecked": {
        "en": "The coordinates look like metres; {crs} (the community's UTM zone) is a guess: "
        "check the map.",
        "zh": "坐标看似以米为单位；{crs}（社区所在 UTM 带）只是猜测，请核对地图。",
    },
    "data.crs_basis.unknown": {
        "en": "The coordinate system cannot be told from the file: type its EPSG code.",
        "zh": "无法从文件判断坐标系：请输入 EPSG 代码。",
    },
    "data.need_epsg": {
        "en": "Type the EPSG code of the coordinates to see the preview.",
        "zh": "请输入坐标的 EPSG 代码以查看预览。",
    },
    # --- statuses --------------------------------------------------------------
    "data.statuses": {"en": "Status words", "zh": "状态词"},
    "data.statuses_help": {
        "en": "These words in the file are not statuses of ours. Say what each one means; "
        "rows with a word left unmapped are rejected.",
        "zh": "文件中的这些词不是本系统的状态。请为每个词选择对应状态；未对应的行将被拒绝。",
    },
    "data.status_word": {"en": "“{word}” means", "zh": "“{word}”表示"},
    "data.status_unmapped": {"en": "(reject these rows)", "zh": "（拒绝这些行）"},
    "data.statuses_more": {
        "en": "…and {n} more words; rows with them are rejected.",
        "zh": "……另有 {n} 个词，含这些词的行将被拒绝。",
    },
    # --- preview ---------------------------------------------------------------
    "data.preview": {"en": "Preview", "zh": "预览"},
    "data.preview_counts": {
        "en": "To import: **{good}** · rejected: **{rejected}**",
        "zh": "可导入：**{good}** 行 · 被拒绝：**{rejected}** 行",
    },
    "data.metric.rows": {"en": "Rows in the file", "zh": "文件行数"},
    "data.metric.good": {"en": "Good rows", "zh": "可导入"},
    "data.metric.rejected": {"en": "Rejected rows", "zh": "被拒绝"},
    "data.notes": {"en": "Notes", "zh": "说明"},
    "data.preview_layer": {"en": "Rows to import", "zh": "待导入的行"},
    "data.preview_shown": {
        "en": "The map shows {shown} of {total} rows.",
        "zh": "地图显示 {total} 行中的 {shown} 行。",
    },
    "data.good_rows": {"en": "First rows as they will be stored", "zh": "导入后的前几行"},
    "data.rejected_rows": {"en": "Rejected rows and why", "zh": "被拒绝的行及原因"},
    # --- import ----------------------------------------------------------------
    "data.replace": {
        "en": "Replace the whole layer of the community with this file",
        "zh": "用此文件替换该社区的整个图层",
    },
    "data.replace_help": {
        "en": "For a redrawn set of grids, say. Stored rows the file does not name are "
        "deleted; refused when any row is rejected. Without it, rows with a stored key "
        "are updated and the others added.",
        "zh": "例如重新划分了整套网格。文件中没有的原有记录将被删除；只要有被拒绝的行就不会执行。"
        "不勾选时，编号已存在的行被更新，其余新增。",
    },
    "data.import": {"en": "Import", "zh": "导入"},
    "data.importing": {"en": "Importing…", "zh": "正在导入…"},
    "data.imported": {
        "en": "Imported into {layer}: {imported} · skipped as already present: {skipped} · "
        "rejected: {rejected} · polygons repaired: {repaired}",
        "zh": "已导入{layer}：{imported} 行 · 已存在而跳过：{skipped} 行 · 被拒绝：{rejected} 行 · "
        "修复多边形：{repaired} 个",
    },
    "data.replaced": {
        "en": "Stored rows replaced: {n}",
        "zh": "替换原有记录：{n} 行",
    },
    "data.reassigned": {
        "en": "Open reports assigned again: {to_grid} to a grid, {unassigned} unassigned, "
        "{to_building} linked to a building.",
        "zh": "未办结诉求已重新分配：{to_grid} 件进入网格，{unassigned} 件未分配，"
        "{to_building} 件关联到楼栋。",
    },
    "data.download_rejects": {
        "en": "Download the rejected rows (CSV)",
        "zh": "下载被拒绝的行（CSV）",
    },
    # --- export ----------------------------------------------------------------
    "data.export_community": {"en": "Community", "zh": "社区"},
    "data.all_communities": {"en": "All communities", "zh": "全部社区"},
    "data.format": {"en": "Format", "zh": "格式"},
    "data.format.geojson": {"en": "GeoJSON", "zh": "GeoJSON"},
    "data.format.gpkg": {"en": "GeoPackage (QGIS)", "zh": "GeoPackage（QGIS）"},
    "data.format.shp": {"en": "Shapefile (zipped)", "zh": "Shapefile（压缩包）"},
    "data.format.csv": {"en": "CSV", "zh": "CSV"},
    "data.format.xlsx": {"en": "Excel (xlsx)", "zh": "Excel（xlsx）"},
    "data.include_private": {
        "en": "Include private fields (reporters' names and phone numbers)",
        "zh": "包含隐私字段（反映人姓名和电话）",
    },
    "data.include_private_help": {
        "en": "Off: names and phone numbers are masked (138****1234).",
        "zh": "不勾选时姓名和电话号码打码显示（138****1234）。",
    },
    "data.build_export": {"en": "Prepare the file", "zh": "生成文件"},
    "data.export_ready": {
        "en": "{layer}: {n} rows, ready to download.",
        "zh": "{layer}：共 {n} 行，可以下载。",
    },
    "data.download": {"en": "Download {name}", "zh": "下载 {name}"},
}
