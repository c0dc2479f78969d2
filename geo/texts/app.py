"""Texts of the app shell, the Map page, tooltips, the grid card and the CLI."""

TEXTS: dict[str, dict[str, str]] = {
    # --- app shell -------------------------------------------------------------
    "app.title": {"en": "Community Grid Map", "zh": "社区网格地图"},
    "app.language": {"en": "Language", "zh": "语言"},
    "app.synthetic_badge": {
        "en": "Demo data: a synthetic community, not real residents.",
        "zh": "演示数据：虚构社区，并非真实居民。",
    },
    "app.community": {"en": "Community", "zh": "社区"},
    "app.store": {"en": "Data store", "zh": "数据存储"},
    "app.empty_store": {
        "en": "The store {store} holds no community yet. Load the demo with `gridmap demo` "
        "or import your layers with `gridmap import`.",
        "zh": "数据存储 {store} 中还没有社区。可用 `gridmap demo` 载入演示数据，"
        "或用 `gridmap import` 导入图层。",
    },
    "app.store_error": {
        "en": "Cannot open the data store: {error}",
        "zh": "无法打开数据存储：{error}",
    },
    "page.map": {"en": "Map", "zh": "地图"},
    # --- map page --------------------------------------------------------------
    "map.basemap": {"en": "Basemap", "zh": "底图"},
    "map.basemap.osm": {"en": "OpenStreetMap", "zh": "OpenStreetMap"},
    "map.basemap.none": {"en": "No basemap (offline)", "zh": "无底图（离线）"},
    "map.reports_scope": {"en": "Reports shown", "zh": "显示的诉求"},
    "map.scope.open": {"en": "Open only", "zh": "仅未办结"},
    "map.scope.all": {"en": "All", "zh": "全部"},
    "map.categories": {"en": "Categories", "zh": "类别"},
    "map.categories.all": {"en": "All categories", "zh": "全部类别"},
    "map.layer.grids": {"en": "Grids", "zh": "网格"},
    "map.layer.buildings": {"en": "Buildings", "zh": "楼栋"},
    "map.layer.chargers": {"en": "Chargers", "zh": "充电设施"},
    "map.layer.drying": {"en": "Drying areas", "zh": "晾晒区"},
    "map.layer.heatmap": {"en": "Reports: heatmap", "zh": "诉求：热力图"},
    "map.layer.clusters": {"en": "Reports: clusters", "zh": "诉求：聚合点"},
    "map.layer.boundary": {"en": "Community boundary", "zh": "社区边界"},
    "map.click_hint": {
        "en": "Click a grid on the map, or choose it here, to see its card.",
        "zh": "在地图上点击网格，或在此选择，查看网格卡片。",
    },
    "map.choose_grid": {"en": "Grid", "zh": "网格"},
    "map.no_grid": {"en": "(none selected)", "zh": "（未选择）"},
    "map.summary": {
        "en": "{grids} grids · {buildings} buildings · {households} households · "
        "{open} open reports ({overdue} overdue) · {unassigned} unassigned",
        "zh": "{grids} 个网格 · {buildings} 栋楼 · {households} 户 · "
        "{open} 件未办结（{overdue} 件超期）· {unassigned} 件未分配网格",
    },
    "map.fill_legend": {
        "en": "Grid shading: open reports per 100 households (darker = more).",
        "zh": "网格颜色：每百户未办结诉求数（越深越多）。",
    },
    "map.filtered": {
        "en": "Figures, shading and cards count only the {n} chosen categories.",
        "zh": "数字、网格颜色和卡片只统计所选的 {n} 个类别。",
    },
    "map.shown_reports": {"en": "{n} reports on the map", "zh": "地图上显示 {n} 件诉求"},
    # --- tooltips --------------------------------------------------------------
    "tip.grid": {"en": "Grid", "zh": "网格"},
    "tip.worker": {"en": "Grid worker", "zh": "网格员"},
    "tip.building": {"en": "Building", "zh": "楼栋"},
    "tip.floors": {"en": "Floors", "zh": "层数"},
    "tip.households": {"en": "Households", "zh": "户数"},
    "tip.year": {"en": "Built", "zh": "建成年份"},
    "tip.elevator": {"en": "Elevator", "zh": "电梯"},
    "tip.charger": {"en": "Charger", "zh": "充电设施"},
    "tip.kind": {"en": "Kind", "zh": "类型"},
    "tip.ports": {"en": "Ports", "zh": "接口数"},
    "tip.status": {"en": "Status", "zh": "状态"},
    "tip.drying": {"en": "Drying area", "zh": "晾晒区"},
    "tip.capacity": {"en": "Capacity", "zh": "容量"},
    "tip.open_reports": {"en": "Open reports", "zh": "未办结诉求"},
    "yes": {"en": "yes", "zh": "有"},
    "no": {"en": "no", "zh": "无"},
    "charger.ebike": {"en": "e-bike", "zh": "电动自行车"},
    "charger.ev": {"en": "electric car", "zh": "电动汽车"},
    "charger.wheelchair": {"en": "wheelchair", "zh": "电动轮椅"},
    "charger.working": {"en": "working", "zh": "正常"},
    # where a report came from (geo.model.REPORT_SOURCES)
    "source.wechat": {"en": "WeChat group", "zh": "微信群"},
    "source.miniprogram": {"en": "mini-program", "zh": "小程序"},
    "source.hotline": {"en": "hotline", "zh": "热线电话"},
    "source.walk_in": {"en": "walk-in", "zh": "来访"},
    "source.patrol": {"en": "patrol", "zh": "网格员巡查"},
    "charger.broken": {"en": "out of order", "zh": "故障"},
    # --- grid card -------------------------------------------------------------
    "card.title": {"en": "Grid {grid_id}", "zh": "网格 {grid_id}"},
    "card.worker": {"en": "Grid worker", "zh": "网格员"},
    "card.phone": {"en": "Phone", "zh": "电话"},
    "card.households": {"en": "Households", "zh": "户数"},
    "card.buildings": {"en": "Buildings", "zh": "楼栋数"},
    "card.open": {"en": "Open reports", "zh": "未办结诉求"},
    "card.overdue": {"en": "Overdue", "zh": "超期"},
    "card.by_category": {
        "en": "Open and overdue reports by category",
        "zh": "未办结及超期诉求（按类别）",
    },
    "card.category": {"en": "Category", "zh": "类别"},
    "card.none_open": {"en": "No open reports in this grid.", "zh": "本网格没有未办结诉求。"},
    # --- CLI -------------------------------------------------------------------
    "cli.demo_loaded": {
        "en": "Loaded the demo community into {store}: {grids} grids, {buildings} buildings, "
        "{households} households, {reports} reports.",
        "zh": "已将演示社区载入 {store}：{grids} 个网格，{buildings} 栋楼，{households} 户，"
        "{reports} 件诉求。",
    },
    "cli.demo_skipped": {
        "en": "{store} already holds a community; left it as it is.",
        "zh": "{store} 中已有社区，未作改动。",
    },
    "cli.assigned": {
        "en": "Assigned {reports} reports: {to_grid} to a grid, {unassigned} unassigned, "
        "{to_building} linked to a building.",
        "zh": "已分配 {reports} 件诉求：{to_grid} 件进入网格，{unassigned} 件未分配，"
        "{to_building} 件关联到楼栋。",
    },
    "cli.imported": {
        "en": "{layer}: imported {imported}, skipped {skipped} already present, "
        "rejected {rejected}, repaired {repaired}.",
        "zh": "{layer}：导入 {imported} 条，跳过已存在 {skipped} 条，拒绝 {rejected} 条，"
        "修复 {repaired} 条。",
    },
    "cli.replaced": {
        "en": "{n} stored rows of {layer} were replaced.",
        "zh": "已替换 {layer} 中原有的 {n} 行。",
    },
    "cli.rejects_written": {
        "en": "Rejected rows with their reasons: {path}",
        "zh": "被拒绝的行及原因见：{path}",
    },
    "cli.exported": {
        "en": "Wrote {n} rows of {layer} to {path}.",
        "zh": "已将 {layer} 的 {n} 行写入 {path}。",
    },
    "cli.migrated": {
        "en": "Schema is up to date; applied: {applied}.",
        "zh": "数据库结构已是最新；本次应用：{applied}。",
    },
    "cli.migrate_gpkg": {
        "en": "The GeoPackage store needs no migration; its layers are created on first use.",
        "zh": "GeoPackage 存储无需迁移，图层在首次使用时创建。",
    },
    "cli.error": {"en": "error: {message}", "zh": "错误：{message}"},
    "cli.bad_pair": {
        "en": "{option} expects {form}, got {pair!r}",
        "zh": "{option} 的格式应为 {form}，收到的是 {pair!r}",
    },
    "none": {"en": "none", "zh": "无"},
}
