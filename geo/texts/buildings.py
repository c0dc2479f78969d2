"""Texts of the Buildings page, renovation needs, hotspots, coverage and their commands."""

TEXTS: dict[str, dict[str, str]] = {
    # --- page ------------------------------------------------------------------
    "page.buildings": {"en": "Buildings", "zh": "楼栋改造"},
    "buildings.title": {"en": "Buildings and renovation", "zh": "楼栋与改造"},
    "buildings.no_buildings": {
        "en": "This community has no buildings yet. Import them on the Data page or with "
        "`gridmap import buildings FILE`.",
        "zh": "本社区还没有楼栋。请在“数据”页或用 `gridmap import buildings FILE` 导入。",
    },
    "buildings.view": {"en": "View", "zh": "视图"},
    "buildings.view.priority": {"en": "Priority and buildings", "zh": "优先级与楼栋"},
    "buildings.view.hotspots": {"en": "Hotspots", "zh": "热点"},
    "buildings.view.coverage": {"en": "Facility coverage", "zh": "设施覆盖"},
    "buildings.rules": {"en": "Thresholds of the needs", "zh": "需求判定阈值"},
    "buildings.rules.min_reports": {
        "en": "Reports in {months} months that make a need",
        "zh": "{months} 个月内多少件诉求构成需求",
    },
    "buildings.rules.charger_radius": {
        "en": "A charger serves up to (m)",
        "zh": "充电设施服务半径（米）",
    },
    "buildings.rules.drying_radius": {
        "en": "A drying area serves up to (m)",
        "zh": "晾晒区服务半径（米）",
    },
    "buildings.rules.help": {
        "en": "Distances are measured in metres from the middle of the building (the "
        "centroid of its footprint). Rejected and duplicate reports are not counted.",
        "zh": "距离以米计，从楼栋中心（轮廓的形心）量起。不予受理和重复的诉求不计入。",
    },
    "buildings.map_caption": {
        "en": "Buildings shaded by their place in the priority list (darker = sooner). "
        "Click a building for its card.",
        "zh": "楼栋颜色表示在优先级列表中的位置（越深越优先）。点击楼栋查看卡片。",
    },
    "buildings.choose": {"en": "Building", "zh": "楼栋"},
    "buildings.click_hint": {
        "en": "Click a building on the map, or choose it here, to see its card.",
        "zh": "在地图上点击楼栋，或在此选择，查看楼栋卡片。",
    },
    "buildings.ranking": {"en": "Priority list", "zh": "优先级列表"},
    "buildings.download_xlsx": {"en": "Download .xlsx", "zh": "下载 .xlsx"},
    "buildings.sheet.ranking": {"en": "priority", "zh": "优先级"},
    "buildings.sheet.weights": {"en": "weights", "zh": "权重"},
    "buildings.sheet.hotspots": {"en": "hotspots", "zh": "热点"},
    "buildings.sheet.coverage": {"en": "coverage", "zh": "覆盖"},
    "buildings.sheet.sites": {"en": "suggested sites", "zh": "建议选址"},
    # --- weights and parts of the score -------------------------------------------
    "buildings.weights": {"en": "Weights of the priority score", "zh": "优先级得分权重"},
    "buildings.weights.help": {
        "en": "The score is a weighted sum of the parts below, each from 0 to 1, scaled to "
        "0–100. Every building's card shows what each part contributed.",
        "zh": "得分是以下各项（每项 0 到 1）的加权和，换算为 0–100 分。每栋楼的卡片列出各项贡献。",
    },
    "buildings.weights.reset": {"en": "Reset the weights", "zh": "恢复默认权重"},
    "buildings.part.reports": {"en": "Reports", "zh": "诉求"},
    "buildings.part.reports_help": {
        "en": "renovation reports in 12 months ÷ the most any building has",
        "zh": "12 个月内改造类诉求数 ÷ 各楼栋中的最大值",
    },
    "buildings.part.needs": {"en": "Needs", "zh": "需求"},
    "buildings.part.needs_help": {
        "en": "needs derived ÷ 8 renovation items",
        "zh": "判定的需求数 ÷ 8 个改造项目",
    },
    "buildings.part.age": {"en": "Age", "zh": "楼龄"},
    "buildings.part.age_help": {
        "en": "years since built ÷ 50, at most 1",
        "zh": "楼龄 ÷ 50，最多为 1",
    },
    "buildings.part.elderly": {"en": "Elderly", "zh": "老年人"},
    "buildings.part.elderly_help": {
        "en": "share of elderly residents ÷ the largest share in the community",
        "zh": "老年人占比 ÷ 社区内最大占比",
    },
    "buildings.part.households": {"en": "Households", "zh": "户数"},
    "buildings.part.households_help": {
        "en": "households ÷ the most any building has",
        "zh": "户数 ÷ 各楼栋中的最大值",
    },
    "buildings.part.charger": {"en": "Far from a charger", "zh": "远离充电设施"},
    "buildings.part.charger_help": {
        "en": "1 when the nearest working e-bike charger is beyond its radius",
        "zh": "最近的可用电动自行车充电设施超出服务半径时为 1",
    },
    "buildings.part.drying": {"en": "Far from drying", "zh": "远离晾晒区"},
    "buildings.part.drying_help": {
        "en": "1 when the nearest drying area is beyond its radius",
        "zh": "最近的晾晒区超出服务半径时为 1",
    },
    # --- renovation items and statuses ----------------------------------------------
    "buildings.item.drains": {"en": "Drainage", "zh": "排水管道"},
    "buildings.item.water_pipes": {"en": "Water pipes", "zh": "供水管道"},
    "buildings.item.gas": {"en": "Gas", "zh": "燃气"},
    "buildings.item.roof": {"en": "Roof and walls", "zh": "屋面外墙"},
    "buildings.item.stairwell_lighting": {"en": "Stairwell", "zh": "楼道照明"},
    "buildings.item.drying_racks": {"en": "Drying racks", "zh": "晾晒设施"},
    "buildings.item.ebike_chargers": {"en": "Charger access", "zh": "充电设施"},
    "buildings.item.elevator_retrofit": {"en": "Elevator", "zh": "加装电梯"},
    "buildings.status.needed": {"en": "needed", "zh": "需改造"},
    "buildings.status.planned": {"en": "planned", "zh": "已计划"},
    "buildings.status.in_progress": {"en": "in progress", "zh": "施工中"},
    "buildings.status.done": {"en": "done", "zh": "已完成"},
    # --- needs and their reasons ---------------------------------------------------
    "buildings.need": {"en": "{item} — {reasons}", "zh": "{item}——{reasons}"},
    "buildings.reason.separator": {"en": ", ", "zh": "，"},
    "buildings.reason.reports": {
        "en": "{n} reports in {months} months",
        "zh": "{months} 个月内 {n} 件诉求",
    },
    "buildings.reason.report_one": {
        "en": "1 report in {months} months",
        "zh": "{months} 个月内 1 件诉求",
    },
    "buildings.reason.built": {"en": "built {year}", "zh": "{year} 年建成"},
    "buildings.reason.no_record": {"en": "no renovation on record", "zh": "无改造记录"},
    "buildings.reason.marked_needed": {"en": "marked as needed", "zh": "已标记为需改造"},
    "buildings.reason.marked_done": {
        "en": "marked done, yet still reported",
        "zh": "已标记完成，但仍有诉求",
    },
    "buildings.reason.walkup": {"en": "{floors} floors, no elevator", "zh": "{floors} 层，无电梯"},
    "buildings.reason.elderly": {"en": "{pct}% elderly residents", "zh": "老年人占 {pct}%"},
    "buildings.reason.far_charger": {
        "en": "nearest e-bike charger {m} m away (over {radius} m)",
        "zh": "最近的电动自行车充电设施 {m} 米（超过 {radius} 米）",
    },
    "buildings.reason.no_charger": {
        "en": "no working e-bike charger in the community",
        "zh": "社区内没有可用的电动自行车充电设施",
    },
    "buildings.reason.far_drying": {
        "en": "nearest drying area {m} m away (over {radius} m)",
        "zh": "最近的晾晒区 {m} 米（超过 {radius} 米）",
    },
    "buildings.reason.no_drying": {
        "en": "no drying area in the community",
        "zh": "社区内没有晾晒区",
    },
    # --- building card ---------------------------------------------------------------
    "buildings.card.title": {"en": "Building {building}", "zh": "楼栋 {building}"},
    "buildings.card.facts": {
        "en": "**Built** {year} · **floors** {floors} · **units** {units} · **households** "
        "{households} · **elevator** {elevator} · **elderly** {elderly}",
        "zh": "**建成** {year} 年 · **层数** {floors} · **单元** {units} · **户数** {households} · "
        "**电梯** {elevator} · **老年人** {elderly}",
    },
    "buildings.card.reports_help": {
        "en": "Reports in the last 12 months whose category feeds a renovation item.",
        "zh": "近 12 个月内类别对应改造项目的诉求数。",
    },
    "buildings.card.rank": {"en": "Priority rank", "zh": "优先级排名"},
    "buildings.card.rank_help": {
        "en": "1 is renovated first, by the score and the weights above.",
        "zh": "按上方的得分和权重，第 1 名最先改造。",
    },
    "buildings.card.nearest_charger": {
        "en": "Nearest working e-bike charger",
        "zh": "最近的可用电动自行车充电设施",
    },
    "buildings.card.nearest_drying": {"en": "Nearest drying area", "zh": "最近的晾晒区"},
    "buildings.card.needs": {"en": "Needs and why", "zh": "改造需求及依据"},
    "buildings.card.no_needs": {
        "en": "No need derived from the reports, the age and the distances.",
        "zh": "根据诉求、楼龄和距离，未判定出改造需求。",
    },
    "buildings.card.score_parts": {"en": "What makes up the score", "zh": "得分构成"},
    "buildings.card.parts_add_up": {
        "en": "The points add up to the score, {score}.",
        "zh": "各项分数相加即为得分 {score}。",
    },
    "buildings.card.reports_over_time": {
        "en": "Reports linked to this building ({n}), by month and category",
        "zh": "关联本楼的诉求（{n} 件），按月份和类别",
    },
    "buildings.card.no_reports": {
        "en": "No report is linked to this building.",
        "zh": "没有关联本楼的诉求。",
    },
    "buildings.card.items": {"en": "Renovation items", "zh": "改造项目"},
    "buildings.card.save_items": {"en": "Save the items", "zh": "保存改造项目"},
    "buildings.card.saved": {
        "en": "Renovation items of building {building} saved.",
        "zh": "楼栋 {building} 的改造项目已保存。",
    },
    # --- table columns ---------------------------------------------------------------
    "buildings.col.rank": {"en": "Rank", "zh": "排名"},
    "buildings.col.building": {"en": "Building", "zh": "楼栋"},
    "buildings.col.name": {"en": "Name", "zh": "名称"},
    "buildings.col.score": {"en": "Score", "zh": "得分"},
    "buildings.col.contrib": {"en": "{part} (points)", "zh": "{part}（分）"},
    "buildings.col.needs": {"en": "Needs", "zh": "需求数"},
    "buildings.col.reasons": {"en": "Needs and why", "zh": "需求及依据"},
    "buildings.col.year_built": {"en": "Built", "zh": "建成年份"},
    "buildings.col.floors": {"en": "Floors", "zh": "层数"},
    "buildings.col.households": {"en": "Households", "zh": "户数"},
    "buildings.col.elevator": {"en": "Elevator", "zh": "电梯"},
    "buildings.col.elderly": {"en": "Elderly (%)", "zh": "老年人（%）"},
    "buildings.col.reports": {"en": "Reports", "zh": "诉求数"},
    "buildings.col.charger_m": {"en": "To charger (m)", "zh": "距充电设施（米）"},
    "buildings.col.drying_m": {"en": "To drying area (m)", "zh": "距晾晒区（米）"},
    "buildings.col.part": {"en": "Part", "zh": "项目"},
    "buildings.col.weight": {"en": "Weight", "zh": "权重"},
    "buildings.col.meaning": {"en": "What it measures (0 to 1)", "zh": "含义（0 到 1）"},
    "buildings.col.value": {"en": "Value (0–1)", "zh": "取值（0–1）"},
    "buildings.col.points": {"en": "Points", "zh": "分数"},
    "buildings.col.item": {"en": "Item", "zh": "项目"},
    "buildings.col.status": {"en": "Status", "zh": "状态"},
    "buildings.col.planned_year": {"en": "Planned year", "zh": "计划年份"},
    "buildings.col.month": {"en": "Month", "zh": "月份"},
    "buildings.col.hotspot": {"en": "Hotspot", "zh": "热点"},
    "buildings.col.kind": {"en": "Kind", "zh": "类型"},
    "buildings.col.units": {"en": "Cells or buildings", "zh": "单元数"},
    "buildings.col.z": {"en": "Gi* z", "zh": "Gi* z 值"},
    "buildings.col.categories": {"en": "Dominant categories", "zh": "主要类别"},
    "buildings.col.buildings": {"en": "Buildings", "zh": "楼栋"},
    "buildings.col.distance_m": {"en": "Distance (m)", "zh": "距离（米）"},
    "buildings.col.nearest": {"en": "Nearest", "zh": "最近设施"},
    "buildings.col.covered": {"en": "Covered", "zh": "已覆盖"},
    "buildings.covered.yes": {"en": "yes", "zh": "是"},
    "buildings.covered.no": {"en": "no", "zh": "否"},
    "buildings.col.site": {"en": "Site", "zh": "选址"},
    "buildings.col.lon": {"en": "Longitude", "zh": "经度"},
    "buildings.col.lat": {"en": "Latitude", "zh": "纬度"},
    "buildings.col.adds": {"en": "Households added", "zh": "新增覆盖户数"},
    # --- hotspots ---------------------------------------------------------------------
    "buildings.kind.hot": {"en": "hot spot", "zh": "热点"},
    "buildings.kind.cold": {"en": "cold spot", "zh": "冷点"},
    "buildings.layer.hotspots": {"en": "Hot and cold spots (Gi*)", "zh": "冷热点（Gi*）"},
    "buildings.legend.hotspots": {"en": "Gi*, after FDR", "zh": "Gi*（FDR 校正后）"},
    "buildings.hot.step": {"en": "Time step", "zh": "时间步长"},
    "buildings.hot.by_month": {"en": "month", "zh": "按月"},
    "buildings.hot.by_week": {"en": "week", "zh": "按周"},
    "buildings.hot.period": {"en": "Period", "zh": "时段"},
    "buildings.hot.all_periods": {"en": "all", "zh": "全部"},
    "buildings.hot.unit": {"en": "Count reports per", "zh": "统计单元"},
    "buildings.hot.unit_h3": {"en": "H3 cell", "zh": "H3 六边形"},
    "buildings.hot.unit_building": {"en": "building", "zh": "楼栋"},
    "buildings.hot.resolution": {"en": "H3 resolution", "zh": "H3 分辨率"},
    "buildings.hot.resolution_help": {
        "en": "10: cells about 76 m a side; 11: 29 m; 12: 11 m.",
        "zh": "10：边长约 76 米；11：29 米；12：11 米。",
    },
    "buildings.hot.alpha": {"en": "False discovery rate", "zh": "错误发现率"},
    "buildings.hot.alpha_help": {
        "en": "The share of false alarms allowed among the hotspots found (Benjamini–Hochberg).",
        "zh": "所发现热点中允许的误报比例（Benjamini–Hochberg 校正）。",
    },
    "buildings.hot.summary": {
        "en": "{reports} reports in {units} units: {hot} hot and {cold} cold spots significant "
        "at a false discovery rate of {q} (p below {p}).",
        "zh": "{units} 个单元共 {reports} 件诉求：在错误发现率 {q} 下显著的热点 {hot} 个、"
        "冷点 {cold} 个（p 小于 {p}）。",
    },
    "buildings.hot.list": {"en": "Hot and cold spots", "zh": "冷热点列表"},
    "buildings.hot.none": {
        "en": "No significant hot or cold spot: what the map shows is within chance.",
        "zh": "没有显著的冷热点：地图上的聚集在随机波动范围内。",
    },
    # --- coverage ------------------------------------------------------------------------
    "buildings.cov.facility": {"en": "Facility", "zh": "设施"},
    "buildings.cov.kinds": {"en": "Charger kinds", "zh": "充电设施类型"},
    "buildings.cov.include_broken": {
        "en": "Count chargers out of service",
        "zh": "计入停用的充电设施",
    },
    "buildings.cov.radius": {"en": "Radius (m)", "zh": "服务半径（米）"},
    "buildings.cov.facilities": {"en": "Facilities counted", "zh": "计入的设施"},
    "buildings.cov.uncovered_buildings": {
        "en": "Buildings beyond {m} m",
        "zh": "超出 {m} 米的楼栋",
    },
    "buildings.cov.uncovered_households": {
        "en": "Households beyond {m} m",
        "zh": "超出 {m} 米的户数",
    },
    "buildings.cov.suggest": {
        "en": "Suggested sites for new facilities (maximal covering location)",
        "zh": "新设施建议选址（最大覆盖选址模型）",
    },
    "buildings.cov.k": {"en": "New sites", "zh": "新增数量"},
    "buildings.cov.candidates": {"en": "Candidate sites", "zh": "候选位置"},
    "buildings.cov.generated": {"en": "generated on open ground", "zh": "空地自动生成"},
    "buildings.cov.drawn": {"en": "drawn on the map", "zh": "在地图上标注"},
    "buildings.cov.clear_drawn": {"en": "Clear drawn sites", "zh": "清除标注的位置"},
    "buildings.cov.draw_hint": {
        "en": "Sites drawn: {n}. Place sites with the marker tool at the map's top left.",
        "zh": "已标注位置：{n} 个。可用地图左上角的标记工具标注位置。",
    },
    "buildings.cov.generated_hint": {
        "en": "{n} candidate sites on open ground, 3 m or more from every building.",
        "zh": "空地上的 {n} 个候选位置，距每栋楼至少 3 米。",
    },
    "buildings.cov.sites_add": {
        "en": "Suggested sites: {k}. Together they would cover {n} more households; {left} "
        "would remain beyond reach.",
        "zh": "建议选址 {k} 个，共可新增覆盖 {n} 户；仍有 {left} 户不在服务范围内。",
    },
    "buildings.cov.no_sites": {
        "en": "No candidate site reaches an uncovered building.",
        "zh": "没有候选位置能覆盖未覆盖的楼栋。",
    },
    "buildings.cov.table": {"en": "Buildings and their distance", "zh": "楼栋及距离"},
    "buildings.layer.reach": {"en": "Reach ({m} m)", "zh": "服务范围（{m} 米）"},
    "buildings.layer.candidates": {"en": "Drawn candidate sites", "zh": "标注的候选位置"},
    "buildings.layer.sites": {"en": "Suggested sites", "zh": "建议选址"},
    "buildings.site_tip": {
        "en": "Suggested site {site}: adds {n} households",
        "zh": "建议选址 {site}：新增覆盖 {n} 户",
    },
    "buildings.legend.priority": {"en": "Priority", "zh": "优先级"},
    "buildings.legend.band": {"en": "top {a}–{b}%", "zh": "前 {a}–{b}%"},
    "buildings.legend.coverage": {"en": "Within {m} m", "zh": "{m} 米内"},
    "buildings.legend.covered": {"en": "covered", "zh": "已覆盖"},
    "buildings.legend.uncovered": {"en": "not covered", "zh": "未覆盖"},
    "buildings.legend.site": {"en": "suggested site", "zh": "建议选址"},
    # --- errors ---------------------------------------------------------------------------
    "buildings.not_found": {
        "en": "There is no building {building} in this community.",
        "zh": "本社区没有楼栋 {building}。",
    },
    "buildings.edit_conflict": {
        "en": "Building {building} was changed by someone else since you opened it; nothing "
        "was saved. Reload the page and make your change again.",
        "zh": "楼栋 {building} 在您打开后已被他人修改，本次未保存。请刷新页面后重新修改。",
    },
    "buildings.no_geometry": {
        "en": "The community has no geometry to measure distances on.",
        "zh": "社区没有可用于测量距离的几何图形。",
    },
    "buildings.bad_facility": {
        "en": "Unknown facility {facility}; the facilities are: {known}.",
        "zh": "未知设施 {facility}；可选：{known}。",
    },
    "buildings.negative_radius": {
        "en": "The radius must not be negative (got {radius}).",
        "zh": "服务半径不能为负数（收到 {radius}）。",
    },
    "buildings.negative_sites": {
        "en": "The number of new sites must not be negative (got {k}).",
        "zh": "新增数量不能为负数（收到 {k}）。",
    },
    "buildings.unknown_part": {
        "en": "Unknown part of the score {part}; the parts are: {known}.",
        "zh": "未知的得分项 {part}；可选：{known}。",
    },
    "buildings.negative_weight": {
        "en": "The weight of {part} must be a number of 0 or more (got {value}).",
        "zh": "{part} 的权重必须是大于等于 0 的数（收到 {value}）。",
    },
    "buildings.bad_step": {
        "en": "Unknown time step {step}; the steps are: {known}.",
        "zh": "未知的时间步长 {step}；可选：{known}。",
    },
    "buildings.bad_unit": {
        "en": "Unknown unit {unit}; the units are: {known}.",
        "zh": "未知的统计单元 {unit}；可选：{known}。",
    },
    "buildings.bad_alpha": {
        "en": "The false discovery rate must be between 0 and 1 (got {alpha}).",
        "zh": "错误发现率必须在 0 和 1 之间（收到 {alpha}）。",
    },
    "buildings.bad_resolution": {
        "en": "Unknown H3 resolution {resolution}; use one of {known}.",
        "zh": "不支持的 H3 分辨率 {resolution}；可选：{known}。",
    },
    "buildings.bad_out": {
        "en": "Cannot write {path}: the file must end in {known}.",
        "zh": "无法写入 {path}：文件扩展名必须是 {known}。",
    },
    # --- commands -------------------------------------------------------------------------
    "buildings.cli.no_community": {
        "en": "The store holds no community {community}; it holds: {known}.",
        "zh": "数据存储中没有社区 {community}；现有：{known}。",
    },
    "buildings.cli.empty": {
        "en": "The store {store} holds no community yet: load one with `gridmap demo` or "
        "`gridmap import`.",
        "zh": "数据存储 {store} 中还没有社区：请用 `gridmap demo` 或 `gridmap import` 载入。",
    },
    "buildings.cli.rank_line": {
        "en": "{rank}. {building} {name}: score {score} = {parts}",
        "zh": "{rank}. {building} {name}：得分 {score} = {parts}",
    },
    "buildings.cli.written": {"en": "Wrote {n} rows to {path}.", "zh": "已写入 {n} 行到 {path}。"},
    "buildings.cli.hotspots": {
        "en": "{hot} hot and {cold} cold spots among {units} units ({reports} reports, false "
        "discovery rate {q}).",
        "zh": "{units} 个单元（{reports} 件诉求）中有热点 {hot} 个、冷点 {cold} 个"
        "（错误发现率 {q}）。",
    },
    "buildings.cli.coverage": {
        "en": "{facility}: {ub} of {b} buildings and {uh} of {h} households are beyond {m} m.",
        "zh": "{facility}：{b} 栋楼中有 {ub} 栋、{h} 户中有 {uh} 户超出 {m} 米。",
    },
    "buildings.cli.site": {
        "en": "site {site} at {lat}, {lon}: adds {n} households ({buildings})",
        "zh": "选址 {site}（{lat}, {lon}）：新增覆盖 {n} 户（{buildings}）",
    },
}
