"""Texts of backups and restores (geo/store/backup.py, ``gridmap backup`` and ``restore``)."""

TEXTS: dict[str, dict[str, str]] = {
    "backup.not_gpkg_name": {
        "en": "{path}: a backup is a GeoPackage file; give it a name ending in .gpkg",
        "zh": "{path}：备份是 GeoPackage 文件，文件名须以 .gpkg 结尾",
    },
    "backup.exists": {
        "en": "{path} already exists; a backup never overwrites a file: choose a new name",
        "zh": "{path} 已存在；备份不会覆盖已有文件，请换一个文件名",
    },
    "backup.cannot_write": {
        "en": "cannot write the backup {path}: {reason}",
        "zh": "无法写入备份 {path}：{reason}",
    },
    "backup.missing": {
        "en": "{path} does not exist; nothing was restored",
        "zh": "{path} 不存在；未恢复任何内容",
    },
    "backup.not_backup": {
        "en": "{path} is not a backup of Community Grid Map (one made by gridmap backup); "
        "nothing was restored",
        "zh": "{path} 不是社区网格地图的备份（须由 gridmap backup 生成）；未恢复任何内容",
    },
    "backup.corrupt": {
        "en": "{path} is damaged and cannot be read ({reason}); nothing was restored",
        "zh": "{path} 已损坏，无法读取（{reason}）；未恢复任何内容",
    },
    "backup.incomplete": {
        "en": "{path} is incomplete: table {table} holds {found} rows where the backup "
        "recorded {recorded}; nothing was restored",
        "zh": "{path} 不完整：表 {table} 有 {found} 行，而备份记录为 {recorded} 行；未恢复任何内容",
    },
    "backup.newer": {
        "en": "{path} is a backup from a newer version of Community Grid Map (schema {theirs}; "
        "this program knows up to {ours}): upgrade the program first; nothing was restored",
        "zh": "{path} 来自更新版本的社区网格地图（数据结构版本 {theirs}，本程序最高支持 {ours}）："
        "请先升级程序；未恢复任何内容",
    },
    "backup.target_lacks_table": {
        "en": "the store has no table {table}, which the backup holds: bring the store up to "
        "date first (gridmap db migrate); nothing was restored",
        "zh": "存储中没有备份所含的表 {table}：请先升级存储（gridmap db migrate）；未恢复任何内容",
    },
    "backup.target_lacks_columns": {
        "en": "the store's table {table} has no column {columns}, which the backup holds; "
        "nothing was restored",
        "zh": "存储中的表 {table} 没有备份所含的列 {columns}；未恢复任何内容",
    },
    "backup.restore_failed": {
        "en": "restoring {path} failed: {reason}; the store was left as it was",
        "zh": "恢复 {path} 失败：{reason}；存储保持原样",
    },
    "backup.rows": {"en": "{table} {n}", "zh": "{table} {n} 行"},
    "backup.list_sep": {"en": ", ", "zh": "，"},
    "backup.cli.written": {
        "en": "Backed up {store} to {path}: {rows}.",
        "zh": "已将 {store} 备份到 {path}：{rows}。",
    },
    "backup.cli.restored": {
        "en": "Restored {path} into {store}: {rows}.",
        "zh": "已将 {path} 恢复到 {store}：{rows}。",
    },
    "backup.cli.left_alone": {
        "en": "Left as they were: {tables} (append-only, or not in the backup).",
        "zh": "保持原样的表：{tables}（只追加的表，或备份中没有的表）。",
    },
}
