"""Texts of the map itself: what the Map page says when the map cannot be drawn."""

TEXTS: dict[str, dict[str, str]] = {
    "map.assets_missing": {
        "en": "The map cannot be drawn: {n} of its script and style files are missing from "
        "`{folder}` ({files}). Run `make assets` in the project folder (it installs them from "
        "npm and copies them there), then reload this page.",
        "zh": "地图无法显示：`{folder}` 中缺少 {n} 个脚本和样式文件（{files}）。"
        "请在项目目录中运行 `make assets`（从 npm 安装并复制到该目录），然后刷新本页。",
    },
    "map.assets_missing.more": {"en": "and {n} more", "zh": "等另外 {n} 个"},
}
