"""Texts of the stores (GeoPackage and PostGIS): what cannot be opened, read or written."""

TEXTS: dict[str, dict[str, str]] = {
    # --- both stores -----------------------------------------------------------
    "store.several_parts": {
        "en": "{layer}: {n} geometries are MultiPolygons of several parts; "
        "this layer takes one Polygon per row",
        "zh": "{layer}：有 {n} 个几何是由多个部分组成的 MultiPolygon；该图层每行只能是一个 Polygon",
    },
    "store.report_conflict": {
        "en": "report {report_id} was changed meanwhile: {column} is now {now}, not {then}; "
        "reload it and try again",
        "zh": "诉求 {report_id} 已被他人修改：{column} 现在是 {now}，而不是 {then}；"
        "请重新加载后再试",
    },
    "store.value_empty": {"en": "empty", "zh": "空"},
    "store.no_report": {
        "en": "report {report_id} does not exist",
        "zh": "诉求 {report_id} 不存在",
    },
    "store.unknown_zone": {
        "en": "community {community}: time zone {value} is not known; use a name such as "
        "Asia/Shanghai or Asia/Urumqi, or leave tz empty to use GRIDMAP_TZ",
        "zh": "社区 {community}：无法识别时区 {value}；请填写 Asia/Shanghai、Asia/Urumqi "
        "这样的时区名，或将 tz 留空以使用 GRIDMAP_TZ",
    },
    # --- GeoPackage ------------------------------------------------------------
    "store.not_geopackage": {
        "en": "{path} exists but is not a GeoPackage file.",
        "zh": "{path} 已存在，但不是 GeoPackage 文件。",
    },
    "store.cannot_create_folder": {
        "en": "cannot create the folder for {path}: {reason}",
        "zh": "无法为 {path} 创建文件夹：{reason}",
    },
    "store.cannot_create_layer": {
        "en": "cannot create layer {layer} in {path}: {reason}",
        "zh": "无法在 {path} 中创建图层 {layer}：{reason}",
    },
    # --- PostGIS: connecting ---------------------------------------------------
    "store.bad_url": {
        "en": "GRIDMAP_DB is not a valid PostgreSQL URL ({reason}); "
        "expected postgresql://user@host:5432/database",
        "zh": "GRIDMAP_DB 不是有效的 PostgreSQL 地址（{reason}）；"
        "应为 postgresql://用户@主机:5432/数据库 的形式",
    },
    "store.default_database": {"en": "(default)", "zh": "（默认）"},
    "store.cannot_connect": {
        "en": "cannot connect to PostgreSQL at {where} (database {database}): {reason}",
        "zh": "无法连接 {where} 上的 PostgreSQL（数据库 {database}）：{reason}",
    },
    "store.refused": {
        "en": "PostgreSQL at {where} (database {database}) refused: {reason}",
        "zh": "{where} 上的 PostgreSQL（数据库 {database}）拒绝了操作：{reason}",
    },
    "store.server_problem": {
        "en": "PostgreSQL at {where} (database {database}): {reason}",
        "zh": "{where} 上的 PostgreSQL（数据库 {database}）出错：{reason}",
    },
    "store.pool_timeout": {
        "en": "no connection to PostgreSQL at {where} (database {database}) within {seconds} s: "
        "is the server running and reachable?",
        "zh": "{seconds} 秒内未能连上 {where} 上的 PostgreSQL（数据库 {database}）："
        "请检查服务器是否在运行、网络是否可达。",
    },
    "store.closed": {
        "en": "{store} is closed",
        "zh": "{store} 已关闭",
    },
    "store.postgis_not_enabled": {
        "en": "PostGIS is not enabled in database {database} at {where}: connect as a "
        "superuser (e.g. psql -U postgres -d {database}) and run: CREATE EXTENSION postgis;",
        "zh": "{where} 上的数据库 {database} 尚未启用 PostGIS：请以超级用户连接"
        "（例如 psql -U postgres -d {database}）并执行：CREATE EXTENSION postgis;",
    },
    "store.postgis_missing": {
        "en": "the PostgreSQL server at {where} has no PostGIS installed: install it on the "
        "server (e.g. apt install postgresql-15-postgis-3), then as a superuser run in "
        "database {database}: CREATE EXTENSION postgis;",
        "zh": "{where} 上的 PostgreSQL 服务器没有安装 PostGIS：请先在服务器上安装"
        "（例如 apt install postgresql-15-postgis-3），再以超级用户在数据库 {database} 中执行："
        "CREATE EXTENSION postgis;",
    },
    "store.bad_schema_name": {
        "en": "schema name {value} is not usable: letters, digits and _ only, at most 63",
        "zh": "模式名 {value} 不可用：只能包含字母、数字和 _，最多 63 个字符",
    },
    # --- PostGIS: migrations ---------------------------------------------------
    "store.schema_named": {"en": "schema {schema}", "zh": "模式 {schema}"},
    "store.default_schema": {"en": "the default schema", "zh": "默认模式"},
    "store.no_version": {"en": "no version", "zh": "无版本"},
    "store.unknown_migrations": {
        "en": "the database {database} at {where} ({label}) has migrations this "
        "program does not know ({names}): upgrade the program first",
        "zh": "{where} 上的数据库 {database}（{label}）含有本程序不认识的迁移（{names}）："
        "请先升级程序",
    },
    "store.migration_failed": {
        "en": "migration {name} failed in database {database} at {where} ({label}): {reason}; "
        "nothing of it was applied and the schema stays at {last_good}",
        "zh": "迁移 {name} 在 {where} 上的数据库 {database}（{label}）中失败：{reason}；"
        "该迁移未应用任何内容，数据库结构仍停留在 {last_good}",
    },
    # --- PostGIS: rows ---------------------------------------------------------
    "store.rows_without_community": {
        "en": "{layer}: {n} rows have no community_id; every row belongs to a community",
        "zh": "{layer}：有 {n} 行没有 community_id；每一行都必须属于某个社区",
    },
    "store.rows_without_key": {
        "en": "{layer}: {n} rows have no {key}",
        "zh": "{layer}：有 {n} 行没有 {key}",
    },
}
