"""Texts of the Overview page, its map and the weekly brief."""

TEXTS: dict[str, dict[str, str]] = {
    "page.overview": {"en": "Overview", "zh": "总览"},
    # --- filters ---------------------------------------------------------------------
    "overview.filters": {"en": "Filters", "zh": "筛选"},
    "overview.period": {"en": "Period", "zh": "时间段"},
    "overview.categories": {"en": "Categories", "zh": "类别"},
    "overview.statuses": {"en": "Statuses", "zh": "状态"},
    "overview.sources": {"en": "Sources", "zh": "来源"},
    "overview.grids": {"en": "Grids", "zh": "网格"},
    "overview.all": {"en": "All", "zh": "全部"},
    "overview.reset": {"en": "Reset filters", "zh": "重置筛选"},
    "overview.metric": {"en": "Grid shading", "zh": "网格着色"},
    "overview.metric.open": {"en": "Open reports", "zh": "未办结诉求"},
    "overview.metric.open_per_100_households": {
        "en": "Open reports per 100 households",
        "zh": "每百户未办结诉求",
    },
    "overview.share": {
        "en": "The address of this page holds the filters: copy it to share exactly this view.",
        "zh": "本页地址包含当前筛选条件：复制地址即可分享同样的视图。",
    },
    # --- tiles -----------------------------------------------------------------------
    "overview.tile.open": {"en": "Open", "zh": "未办结"},
    "overview.tile.new": {"en": "New this week", "zh": "本周新增"},
    "overview.tile.overdue": {"en": "Overdue", "zh": "超期"},
    "overview.tile.closed": {"en": "Closed", "zh": "已办结"},
    "overview.tile.median": {"en": "Median days to close", "zh": "办结天数中位数"},
    "overview.tile.rating": {"en": "Average rating", "zh": "平均满意度"},
    "overview.tile.unassigned": {"en": "Unassigned", "zh": "未分配网格"},
    "overview.tile.vs_last_week": {"en": "{change:+d} vs last week", "zh": "较上周 {change:+d}"},
    "overview.tile.rated": {"en": "{n} rated", "zh": "{n} 件已评价"},
    "overview.tiles_help": {
        "en": "Open and overdue: as of now. New this week: the 7 days ending {end}, against the "
        "7 days before. Closed, median days and rating: reports resolved or closed from {start} "
        "to {end}. Unassigned: reports from {start} to {end} outside every grid.",
        "zh": "未办结、超期：截至当前。本周新增：截至 {end} 的 7 天，与之前 7 天比较。"
        "已办结、办结天数、满意度：{start} 至 {end} 期间解决或办结的诉求。"
        "未分配网格：{start} 至 {end} 期间落在所有网格之外的诉求。",
    },
    "overview.none": {"en": "–", "zh": "–"},
    # --- map -------------------------------------------------------------------------
    "overview.layer.heatmap": {"en": "Reports of the period", "zh": "时段内诉求热力"},
    "overview.layer.overdue": {"en": "Overdue reports", "zh": "超期诉求"},
    "overview.legend.overdue": {"en": "overdue report", "zh": "超期诉求"},
    "overview.legend.heatmap": {
        "en": "heat: reports of the period",
        "zh": "热力：时段内诉求",
    },
    "overview.tip.overdue": {"en": "Overdue", "zh": "超期"},
    "overview.tip.per100": {"en": "Open per 100 households", "zh": "每百户未办结"},
    "overview.tip.overdue_report": {
        "en": "report {id}, due {due}",
        "zh": "诉求 {id}，截止 {due}",
    },
    "overview.map_hint": {
        "en": "Click a grid on the map or a row of the table to see its detail.",
        "zh": "点击地图上的网格或表格中的一行，查看网格详情。",
    },
    "overview.below_follows": {
        "en": "The grid table, the charts and the weekly brief follow once the map is drawn.",
        "zh": "地图绘出后，下方显示网格排行、图表和周报。",
    },
    # --- grid table and detail -------------------------------------------------------
    "overview.league": {"en": "Grids", "zh": "网格排行"},
    "overview.col.grid": {"en": "Grid", "zh": "网格"},
    "overview.col.name": {"en": "Name", "zh": "名称"},
    "overview.col.worker": {"en": "Grid worker", "zh": "网格员"},
    "overview.col.households": {"en": "Households", "zh": "户数"},
    "overview.col.open": {"en": "Open", "zh": "未办结"},
    "overview.col.overdue": {"en": "Overdue", "zh": "超期"},
    "overview.col.per100": {"en": "Open /100 hh", "zh": "每百户未办结"},
    "overview.col.new": {"en": "New", "zh": "新增"},
    "overview.col.closed": {"en": "Closed", "zh": "已办结"},
    "overview.col.median_days": {"en": "Median days", "zh": "办结天数中位数"},
    "overview.col.rating": {"en": "Rating", "zh": "满意度"},
    "overview.col.trend": {"en": "New per week", "zh": "每周新增"},
    "overview.detail": {"en": "Grid {grid_id}", "zh": "网格 {grid_id}"},
    "overview.detail.none": {
        "en": "No grid selected.",
        "zh": "未选择网格。",
    },
    "overview.detail.worker": {"en": "Grid worker", "zh": "网格员"},
    "overview.detail.phone": {"en": "Phone", "zh": "电话"},
    "overview.detail.buildings": {"en": "Buildings", "zh": "楼栋数"},
    "overview.detail.top": {"en": "Most reported in the period", "zh": "时段内最多的诉求类别"},
    "overview.detail.is_overdue": {"en": "yes", "zh": "是"},
    "overview.detail.oldest": {"en": "Waiting longest", "zh": "等待最久的未办结诉求"},
    "overview.detail.no_open": {"en": "Nothing open in this grid.", "zh": "本网格没有未办结诉求。"},
    "overview.col.report": {"en": "Report", "zh": "诉求"},
    "overview.col.category": {"en": "Category", "zh": "类别"},
    "overview.col.created": {"en": "Created", "zh": "提交时间"},
    "overview.col.status": {"en": "Status", "zh": "状态"},
    "overview.col.days_open": {"en": "Days open", "zh": "已等待天数"},
    "overview.col.due": {"en": "Due", "zh": "截止时间"},
    "overview.col.days_overdue": {"en": "Days overdue", "zh": "超期天数"},
    "overview.col.reports": {"en": "Reports", "zh": "诉求数"},
    "overview.col.description": {"en": "Description", "zh": "描述"},
    "overview.col.building": {"en": "Building", "zh": "楼栋"},
    # --- charts ----------------------------------------------------------------------
    "overview.chart.weekly": {
        "en": "Reports per week, by status now",
        "zh": "每周诉求（按当前状态）",
    },
    "overview.chart.categories": {"en": "Reports by category", "zh": "各类别诉求"},
    "overview.chart.week": {"en": "Week", "zh": "周"},
    "overview.chart.days": {"en": "Days in the period", "zh": "计入天数"},
    "overview.chart.partial": {
        "en": "Narrower, lighter bars: weeks the period covers only in part (days in the tooltip).",
        "zh": "较窄的浅色柱：时间段只覆盖其中几天的周（天数见提示）。",
    },
    "overview.chart.none": {"en": "No reports in this period.", "zh": "该时间段内没有诉求。"},
    # --- street ----------------------------------------------------------------------
    "overview.street": {"en": "Communities of the street", "zh": "街道各社区对比"},
    "overview.col.community": {"en": "Community", "zh": "社区"},
    "overview.col.created_period": {"en": "New in period", "zh": "时段内新增"},
    # --- brief -----------------------------------------------------------------------
    "overview.brief": {"en": "Weekly brief", "zh": "周报"},
    "overview.brief.xlsx": {"en": "Download the brief (.xlsx)", "zh": "下载周报（.xlsx）"},
    "overview.brief.csv": {"en": "The same tables as CSV (.zip)", "zh": "同样的表格（CSV，.zip）"},
    "overview.sheet.tiles": {"en": "Summary", "zh": "概况"},
    "overview.sheet.grids": {"en": "Grids", "zh": "网格"},
    "overview.sheet.categories": {"en": "Categories", "zh": "类别"},
    "overview.sheet.overdue": {"en": "Overdue", "zh": "超期清单"},
    "overview.brief.title": {
        "en": "{community}: {start} to {end}",
        "zh": "{community}：{start} 至 {end}",
    },
    "overview.brief.figure": {"en": "Figure", "zh": "指标"},
    "overview.brief.value": {"en": "Value", "zh": "数值"},
    "overview.brief.new_last_week": {"en": "New last week", "zh": "上周新增"},
    "overview.brief.created": {"en": "Created in the period", "zh": "时段内新增"},
}
