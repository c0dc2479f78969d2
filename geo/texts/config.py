"""Texts of the configuration: environment variables, the category table and --crs."""

TEXTS: dict[str, dict[str, str]] = {
    # --- environment (geo/config.py) -------------------------------------------
    "config.bad_lang": {
        "en": "GRIDMAP_LANG={value} is not supported; use one of {languages}.",
        "zh": "不支持 GRIDMAP_LANG={value}；请使用 {languages} 之一。",
    },
    "config.bad_tz": {
        "en": "GRIDMAP_TZ={value} is not a known time zone (e.g. Asia/Shanghai).",
        "zh": "GRIDMAP_TZ={value} 不是可识别的时区（例如 Asia/Shanghai）。",
    },
    "config.bad_radius": {
        "en": "GRIDMAP_BUILDING_RADIUS_M={value} is not a number of metres.",
        "zh": "GRIDMAP_BUILDING_RADIUS_M={value} 不是以米为单位的数字。",
    },
    "config.negative_radius": {
        "en": "GRIDMAP_BUILDING_RADIUS_M must not be negative.",
        "zh": "GRIDMAP_BUILDING_RADIUS_M 不能为负数。",
    },
    # --- category table (geo/categories.py) ------------------------------------
    "config.categories_columns": {
        "en": "category table {source} lacks the columns {missing}.",
        "zh": "类别表 {source} 缺少以下列：{missing}。",
    },
    "config.categories_file_missing": {
        "en": "GRIDMAP_CATEGORIES names {path}, which does not exist.",
        "zh": "GRIDMAP_CATEGORIES 指定的文件 {path} 不存在。",
    },
    "config.categories_sla": {
        "en": "category table: sla_days must be a whole number of days for {codes}.",
        "zh": "类别表：{codes} 的 sla_days 必须是整数天数。",
    },
    # --- coordinate reference systems (geo/crs.py) -----------------------------
    "crs.unknown_epsg": {
        "en": "unknown --crs {value}: EPSG:{code} does not exist.",
        "zh": "无法识别的 --crs {value}：不存在 EPSG:{code} 这个坐标系。",
    },
    "crs.unknown": {
        "en": "unknown --crs {value}: give an EPSG code (e.g. 4326 or EPSG:32650), "
        "wgs84, gcj02 or bd09.",
        "zh": "无法识别的 --crs {value}：请给出 EPSG 代码（例如 4326 或 EPSG:32650），"
        "或 wgs84、gcj02、bd09。",
    },
}
