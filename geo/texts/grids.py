"""Texts of the Grids page (the planner's editor), its checks, its commands and grid versions."""

TEXTS: dict[str, dict[str, str]] = {
    # --- page shell ---------------------------------------------------------------------
    "grids.page": {"en": "Grids", "zh": "网格划分"},
    "grids.title": {"en": "Grids", "zh": "网格划分"},
    "grids.view": {"en": "View", "zh": "视图"},
    "grids.view.edit": {"en": "Edit and check", "zh": "编辑与检查"},
    "grids.view.history": {"en": "Versions", "zh": "历史版本"},
    "grids.view.propose": {"en": "Propose balanced grids", "zh": "均衡划分建议"},
    "grids.rules": {"en": "Rules of the checks", "zh": "检查规则"},
    "grids.rules.band": {
        "en": "Households per grid (target band)",
        "zh": "每个网格的户数（目标范围）",
    },
    "grids.rules.snap": {"en": "Snap tolerance (m)", "zh": "吸附容差（米）"},
    "grids.rules.take": {
        "en": "Drawn shapes take ground from neighbouring grids",
        "zh": "新绘制的形状可占用相邻网格的范围",
    },
    "grids.origin.store": {"en": "the saved grids", "zh": "已保存的网格"},
    "grids.origin.edited": {"en": "your edits", "zh": "您的编辑"},
    "grids.origin.file": {"en": "an uploaded file", "zh": "上传的文件"},
    "grids.origin.proposal": {"en": "a proposal", "zh": "划分建议"},
    "grids.origin.restored": {"en": "a restored version", "zh": "恢复的历史版本"},
    "grids.unsaved": {"en": "unsaved changes", "zh": "有未保存的修改"},
    "grids.saved": {"en": "no unsaved changes", "zh": "没有未保存的修改"},
    "grids.draft_caption": {
        "en": "Draft from {origin}, based on version {version}: {n} grids, {dirty}.",
        "zh": "草稿来自{origin}，基于第 {version} 版：{n} 个网格，{dirty}。",
    },
    "grids.stale_draft": {
        "en": "Version {now} was saved after you began from version {base}: saving this draft "
        "will be refused. Discard it to load version {now}.",
        "zh": "您从第 {base} 版开始编辑后，已有人保存了第 {now} 版：此草稿无法保存。"
        "请放弃草稿以载入第 {now} 版。",
    },
    "grids.draw_hint": {
        "en": "Draw a new grid with the polygon or rectangle tool, move a grid's corners with "
        "the edit tool, delete grids with the bin, or draw a line across a grid to split it. "
        "New boundaries are clipped to the community and snapped to neighbours within {m} m.",
        "zh": "用多边形或矩形工具绘制新网格，用编辑工具拖动网格的顶点，用删除工具删除网格，"
        "或画一条穿过网格的线将其拆分。新边界会裁剪到社区范围内，并在 {m} 米内吸附到相邻网格。",
    },
    "grids.drawn": {
        "en": "Applied from the map. Added: {added}; reshaped: {reshaped}; deleted: {deleted}; "
        "new from splits: {split}.",
        "zh": "已应用地图上的修改。新增：{added}；修改形状：{reshaped}；删除：{deleted}；"
        "拆分产生：{split}。",
    },
    "grids.map.layer.grids": {"en": "Grids (draft)", "zh": "网格（草稿）"},
    "grids.map.layer.labels": {"en": "Grid labels", "zh": "网格标注"},
    "grids.map.layer.problems": {"en": "Problems", "zh": "问题"},
    "grids.legend.low": {"en": "fewer than {min} households", "zh": "少于 {min} 户"},
    "grids.legend.ok": {"en": "{min}–{max} households", "zh": "{min}–{max} 户"},
    "grids.legend.high": {"en": "more than {max} households", "zh": "多于 {max} 户"},
    "grids.legend.error": {"en": "error", "zh": "错误"},
    "grids.legend.warning": {"en": "warning", "zh": "提醒"},
    # --- validation ---------------------------------------------------------------------------
    "grids.check.title": {"en": "Checks", "zh": "检查结果"},
    "grids.check.errors": {"en": "Errors", "zh": "错误"},
    "grids.check.warnings": {"en": "Warnings", "zh": "提醒"},
    "grids.check.none": {
        "en": "No problems: the grids cover the community without gaps or overlaps.",
        "zh": "没有问题：网格完整覆盖社区，无缝隙、无重叠。",
    },
    "grids.check.no_workers": {
        "en": "{n} grids have no grid worker: {grids}.",
        "zh": "有 {n} 个网格没有网格员：{grids}。",
    },
    "grids.check.all": {"en": "All {n} findings as a table", "zh": "全部 {n} 项检查结果（表格）"},
    "grids.severity.error": {"en": "error", "zh": "错误"},
    "grids.severity.warning": {"en": "warning", "zh": "提醒"},
    "grids.kind.no_code": {"en": "no code", "zh": "缺少编号"},
    "grids.kind.duplicate_code": {"en": "code used twice", "zh": "编号重复"},
    "grids.kind.empty": {"en": "no shape", "zh": "没有形状"},
    "grids.kind.invalid": {"en": "invalid shape", "zh": "形状无效"},
    "grids.kind.overlap": {"en": "overlap", "zh": "重叠"},
    "grids.kind.gap": {"en": "gap", "zh": "缝隙"},
    "grids.kind.cut_building": {"en": "building cut", "zh": "楼栋被切分"},
    "grids.kind.sliver": {"en": "sliver", "zh": "狭长碎片"},
    "grids.kind.outside": {"en": "beyond the community", "zh": "超出社区"},
    "grids.kind.households_low": {"en": "few households", "zh": "户数偏少"},
    "grids.kind.households_high": {"en": "many households", "zh": "户数偏多"},
    "grids.kind.no_worker": {"en": "no grid worker", "zh": "无网格员"},
    "grids.issue.no_code": {
        "en": "Grid {grid} has no code: give it one.",
        "zh": "网格 {grid} 没有编号：请填写编号。",
    },
    "grids.issue.duplicate_code": {
        "en": "The code {grid} is used by {detail} grids: codes must be unique.",
        "zh": "编号 {grid} 被 {detail} 个网格使用：编号必须唯一。",
    },
    "grids.issue.empty": {
        "en": "Grid {grid} has no shape.",
        "zh": "网格 {grid} 没有形状。",
    },
    "grids.issue.invalid": {
        "en": "Grid {grid} has an invalid shape ({detail}); Repair makes it valid.",
        "zh": "网格 {grid} 的形状无效（{detail}）；点击“修复”可使其有效。",
    },
    "grids.issue.overlap": {
        "en": "Grids {grids} overlap by {area} m².",
        "zh": "网格 {grids} 重叠 {area} 平方米。",
    },
    "grids.issue.gap": {
        "en": "A gap of {area} m² inside the community belongs to no grid.",
        "zh": "社区内有 {area} 平方米的缝隙不属于任何网格。",
    },
    "grids.issue.gap_buildings": {
        "en": "A gap of {area} m² inside the community belongs to no grid; {n} buildings "
        "({households} households) stand in it: {buildings}.",
        "zh": "社区内有 {area} 平方米的缝隙不属于任何网格；其中有 {n} 栋楼（{households} 户）："
        "{buildings}。",
    },
    "grids.issue.cut_building": {
        "en": "Building {buildings} ({households} households) is cut by the boundary of grids "
        "{grids}.",
        "zh": "楼栋 {buildings}（{households} 户）被网格 {grids} 的边界切分。",
    },
    "grids.issue.sliver": {
        "en": "A sliver gap of {area} m², {width} m wide, between grids.",
        "zh": "网格之间有一条 {area} 平方米、宽 {width} 米的狭长缝隙。",
    },
    "grids.issue.sliver_part": {
        "en": "Grid {grid} has a sliver of {area} m², {width} m wide.",
        "zh": "网格 {grid} 有一块 {area} 平方米、宽 {width} 米的狭长碎片。",
    },
    "grids.issue.outside": {
        "en": "Grid {grid} reaches {area} m² beyond the community boundary.",
        "zh": "网格 {grid} 超出社区边界 {area} 平方米。",
    },
    "grids.issue.households_low": {
        "en": "Grid {grid} has {households} households, fewer than {min}.",
        "zh": "网格 {grid} 有 {households} 户，少于 {min} 户。",
    },
    "grids.issue.households_high": {
        "en": "Grid {grid} has {households} households, more than {max}.",
        "zh": "网格 {grid} 有 {households} 户，多于 {max} 户。",
    },
    "grids.issue.no_worker": {
        "en": "Grid {grid} has no grid worker.",
        "zh": "网格 {grid} 没有网格员。",
    },
    # --- editing --------------------------------------------------------------------------------
    "grids.actions": {"en": "Edit grids", "zh": "编辑网格"},
    "grids.choose": {"en": "A grid's code, name and worker", "zh": "网格的编号、名称和网格员"},
    "grids.choose_none": {"en": "(choose a grid)", "zh": "（选择网格）"},
    "grids.field.code": {"en": "Code", "zh": "编号"},
    "grids.field.name": {"en": "Name", "zh": "名称"},
    "grids.field.worker": {"en": "Grid worker", "zh": "网格员"},
    "grids.field.phone": {"en": "Worker's phone", "zh": "网格员电话"},
    "grids.apply": {"en": "Apply", "zh": "应用"},
    "grids.several": {"en": "Grids to delete or merge", "zh": "要删除或合并的网格"},
    "grids.delete": {"en": "Delete", "zh": "删除"},
    "grids.merge": {"en": "Merge", "zh": "合并"},
    "grids.repair": {"en": "Repair {grids}", "zh": "修复 {grids}"},
    "grids.undo": {"en": "Undo", "zh": "撤销"},
    "grids.discard": {"en": "Discard draft", "zh": "放弃草稿"},
    "grids.download": {"en": "Download the draft (GeoJSON)", "zh": "下载草稿（GeoJSON）"},
    "grids.done.attributes": {"en": "Grid {grid} changed.", "zh": "网格 {grid} 已修改。"},
    "grids.done.deleted": {"en": "Deleted {grids}.", "zh": "已删除 {grids}。"},
    "grids.done.merged": {
        "en": "Merged {grids} into {grid}.",
        "zh": "已将 {grids} 合并为 {grid}。",
    },
    "grids.done.repaired": {"en": "Repaired {grids}.", "zh": "已修复 {grids}。"},
    "grids.edit.no_area": {
        "en": "The drawn shape encloses no area.",
        "zh": "绘制的形状没有面积。",
    },
    "grids.edit.outside": {
        "en": "The drawn shape lies outside the community.",
        "zh": "绘制的形状在社区范围之外。",
    },
    "grids.edit.nothing_left": {
        "en": "Nothing is left of the drawn shape once the neighbouring grids keep their "
        "ground; allow drawn shapes to take ground, or draw on open ground.",
        "zh": "相邻网格保留其范围后，绘制的形状已无剩余；"
        "请允许新形状占用相邻网格，或在空白处绘制。",
    },
    "grids.edit.no_grid": {"en": "There is no grid {grid}.", "zh": "没有网格 {grid}。"},
    "grids.edit.merge_two": {
        "en": "Choose at least two grids to merge.",
        "zh": "请至少选择两个网格进行合并。",
    },
    "grids.edit.split_nothing": {
        "en": "The line divides no grid: draw it across a grid, from one side to the other.",
        "zh": "这条线没有拆分任何网格：请从网格的一侧画到另一侧。",
    },
    "grids.edit.code_empty": {"en": "A grid needs a code.", "zh": "网格必须有编号。"},
    "grids.edit.code_taken": {
        "en": "Another grid already has the code {grid}.",
        "zh": "已有其他网格使用编号 {grid}。",
    },
    "grids.upload": {
        "en": "Upload grids (GeoJSON, GeoPackage, zipped Shapefile)",
        "zh": "上传网格（GeoJSON、GeoPackage、压缩的 Shapefile）",
    },
    "grids.upload.file": {"en": "File", "zh": "文件"},
    "grids.upload.how": {"en": "The file's grids", "zh": "文件中的网格"},
    "grids.upload.add": {
        "en": "add to the draft (same code: replaced)",
        "zh": "加入草稿（编号相同则替换）",
    },
    "grids.upload.replace": {"en": "replace the whole draft", "zh": "替换整个草稿"},
    "grids.upload.go": {"en": "Load into the draft", "zh": "载入草稿"},
    "grids.upload.done": {
        "en": "{n} grids from {name} are in the draft.",
        "zh": "{name} 中的 {n} 个网格已载入草稿。",
    },
    "grids.upload.rejected": {
        "en": "{n} rows of the file were rejected (see the Data page for the reasons).",
        "zh": "文件中有 {n} 行被拒绝（原因可在数据页查看）。",
    },
    "grids.file.no_grids": {
        "en": "No grid could be read from {name} ({rejected} rows rejected).",
        "zh": "无法从 {name} 读取任何网格（{rejected} 行被拒绝）。",
    },
    # --- preview ---------------------------------------------------------------------------------
    "grids.preview.title": {"en": "What saving would change", "zh": "保存后的变化预览"},
    "grids.preview.no_change": {
        "en": "The draft is the saved grids: nothing would change.",
        "zh": "草稿与已保存的网格相同：不会有任何变化。",
    },
    "grids.preview.moved": {"en": "Open reports moving", "zh": "将转移的未办结诉求"},
    "grids.preview.unassigned": {
        "en": "Open reports in no grid",
        "zh": "不属于任何网格的未办结诉求",
    },
    "grids.preview.changed_grids": {"en": "Grids whose figures change", "zh": "数字有变化的网格"},
    "grids.preview.only_changed": {"en": "Only grids that change", "zh": "只显示有变化的网格"},
    "grids.preview.moves": {
        "en": "Open reports moving between grids",
        "zh": "在网格之间转移的未办结诉求",
    },
    "grids.preview.no_grid": {"en": "(no grid)", "zh": "（无网格）"},
    "grids.col.grid": {"en": "Grid", "zh": "网格"},
    "grids.col.households_before": {"en": "Households before", "zh": "户数（前）"},
    "grids.col.households_after": {"en": "Households after", "zh": "户数（后）"},
    "grids.col.buildings_before": {"en": "Buildings before", "zh": "楼栋（前）"},
    "grids.col.buildings_after": {"en": "Buildings after", "zh": "楼栋（后）"},
    "grids.col.open_before": {"en": "Open reports before", "zh": "未办结诉求（前）"},
    "grids.col.open_after": {"en": "Open reports after", "zh": "未办结诉求（后）"},
    "grids.col.from": {"en": "From", "zh": "从"},
    "grids.col.to": {"en": "To", "zh": "到"},
    "grids.col.open_reports": {"en": "Open reports", "zh": "未办结诉求"},
    "grids.col.severity": {"en": "Severity", "zh": "级别"},
    "grids.col.kind": {"en": "Kind", "zh": "类型"},
    "grids.col.grids": {"en": "Grids", "zh": "网格"},
    "grids.col.area_m2": {"en": "Area (m²)", "zh": "面积（平方米）"},
    "grids.col.message": {"en": "What is wrong", "zh": "问题说明"},
    # --- saving and versions --------------------------------------------------------------------
    "grids.save.title": {"en": "Save as a new version", "zh": "保存为新版本"},
    "grids.save.note": {"en": "Note (what changed and why)", "zh": "备注（修改内容和原因）"},
    "grids.save.anyway": {
        "en": "Save although {n} errors remain",
        "zh": "尽管还有 {n} 个错误，仍然保存",
    },
    "grids.save.button": {"en": "Save as a new version", "zh": "保存为新版本"},
    "grids.save.next": {
        "en": "Saving now makes version {version}.",
        "zh": "现在保存将生成第 {version} 版。",
    },
    "grids.save.nothing": {
        "en": "The draft is the saved grids: there is nothing to save.",
        "zh": "草稿与已保存的网格相同：无需保存。",
    },
    "grids.save.errors_first": {
        "en": "{n} errors remain: fix them, or tick the box to save anyway.",
        "zh": "还有 {n} 个错误：请先修正，或勾选后仍然保存。",
    },
    "grids.save.done": {
        "en": "Saved as version {version}. {reports} open reports were assigned again "
        "({unassigned} in no grid); closed reports keep their grid.",
        "zh": "已保存为第 {version} 版。{reports} 件未办结诉求已重新分配"
        "（{unassigned} 件不属于任何网格）；已办结的诉求保留原网格。",
    },
    "grids.save.kept": {
        "en": "The grids saved before were recorded first as version {version}, so nothing "
        "is lost.",
        "zh": "此前保存的网格已先记录为第 {version} 版，不会丢失。",
    },
    "grids.store.stale": {
        "en": "Not saved: version {version} of the grids of {community} was saved by {actor} at "
        "{at} after you began from version {base}. Nothing was overwritten; discard your draft "
        "to load version {version} and make your changes again.",
        "zh": "未保存：您从第 {base} 版开始编辑后，{actor} 于 {at} 保存了社区 {community} 的第 "
        "{version} 版网格。没有覆盖任何内容；请放弃草稿，载入第 {version} 版后重新修改。",
    },
    "grids.store.changed_outside": {
        "en": "Not saved: the grids of {community} were changed outside the grid editor (an "
        "import or QGIS) after you began from version {base}. Nothing was overwritten; discard "
        "your draft to load them and make your changes again.",
        "zh": "未保存：您从第 {base} 版开始编辑后，社区 {community} 的网格在网格编辑器之外被修改"
        "（导入或 QGIS）。没有覆盖任何内容；请放弃草稿，载入最新网格后重新修改。",
    },
    "grids.store.missing_id": {
        "en": "{n} grids have no code; every grid needs one.",
        "zh": "有 {n} 个网格没有编号；每个网格都必须有编号。",
    },
    "grids.store.duplicate_id": {
        "en": "Grid codes used twice: {ids}; codes must be unique.",
        "zh": "重复的网格编号：{ids}；编号必须唯一。",
    },
    "grids.store.no_shape": {
        "en": "{n} grids have no shape (first: {grid_id}).",
        "zh": "有 {n} 个网格没有形状（第一个：{grid_id}）。",
    },
    "grids.version_kind.saved": {"en": "saved in the editor", "zh": "在编辑器中保存"},
    "grids.version_kind.found": {
        "en": "the grids before the first save",
        "zh": "首次保存前的网格",
    },
    "grids.version_kind.outside": {
        "en": "changed outside the editor",
        "zh": "在编辑器之外修改",
    },
    "grids.col.version": {"en": "Version", "zh": "版本"},
    "grids.col.saved_at": {"en": "Saved at", "zh": "保存时间"},
    "grids.col.actor": {"en": "By", "zh": "保存人"},
    "grids.col.grid_count": {"en": "Grids", "zh": "网格数"},
    "grids.col.note": {"en": "Note", "zh": "备注"},
    "grids.col.change": {"en": "Change", "zh": "变化"},
    "grids.col.area_before": {"en": "Area before (m²)", "zh": "面积（前，平方米）"},
    "grids.col.area_after": {"en": "Area after (m²)", "zh": "面积（后，平方米）"},
    "grids.col.moved": {"en": "Ground changed (m²)", "zh": "变动面积（平方米）"},
    "grids.col.fields": {"en": "Details changed", "zh": "修改的信息"},
    "grids.col.reports": {"en": "Reports", "zh": "诉求"},
    "grids.col.open": {"en": "Open", "zh": "未办结"},
    "grids.col.done": {"en": "Done", "zh": "已完成"},
    "grids.change.added": {"en": "added", "zh": "新增"},
    "grids.change.removed": {"en": "removed", "zh": "删除"},
    "grids.change.reshaped": {"en": "reshaped", "zh": "形状改变"},
    "grids.change.details": {"en": "details changed", "zh": "信息修改"},
    "grids.change.same": {"en": "unchanged", "zh": "未变"},
    "grids.history.none": {
        "en": "No version has been recorded yet. The first save records the grids as they "
        "are (version {version}) before replacing them.",
        "zh": "还没有记录任何版本。首次保存时会先将现有网格记录为第 {version} 版，再替换。",
    },
    "grids.history.current": {"en": "the grids now", "zh": "当前网格"},
    "grids.history.version": {"en": "version {version}", "zh": "第 {version} 版"},
    "grids.history.show": {"en": "Show on the map", "zh": "在地图上显示"},
    "grids.history.against": {"en": "Compare with (older)", "zh": "对比（较早的）"},
    "grids.history.nothing": {"en": "(no comparison)", "zh": "（不对比）"},
    "grids.history.changes": {"en": "{n} grids differ.", "zh": "有 {n} 个网格不同。"},
    "grids.history.restore": {
        "en": "Restore version {version} as the draft",
        "zh": "将第 {version} 版恢复为草稿",
    },
    "grids.history.restored": {
        "en": "Version {version} is the draft now: check it, then save it as a new version.",
        "zh": "第 {version} 版已成为草稿：检查后可保存为新版本。",
    },
    "grids.stats.title": {"en": "Reports per grid", "zh": "各网格的诉求"},
    "grids.stats.basis": {"en": "Count reports", "zh": "统计口径"},
    "grids.stats.recorded": {
        "en": "by the grid they were handled in",
        "zh": "按办理时所属网格（历史网格）",
    },
    "grids.stats.current": {"en": "by the grids now", "zh": "按当前网格"},
    "grids.stats.help": {
        "en": "Closed reports keep the grid they were closed in, so a grid's past figures stay "
        "fair when boundaries move; counted by the grids now, every report is placed afresh.",
        "zh": "已办结的诉求保留办结时的网格，因此边界调整后，网格的历史数据依然公平；"
        "按当前网格统计时，每件诉求都按现有边界重新归属。",
    },
    # --- proposals --------------------------------------------------------------------------------
    "grids.propose.n": {"en": "Number of grids", "zh": "网格数量"},
    "grids.propose.seed": {"en": "Random seed", "zh": "随机种子"},
    "grids.propose.help": {
        "en": "Contiguous groups of buildings with balanced households (PySAL spopt "
        "regionalisation), turned into grids that cover the community and cut no building. "
        "The proposal is a draft: accept it to edit and save it, or throw it away.",
        "zh": "将相邻楼栋分组并使各组户数均衡（PySAL spopt 区域划分），生成覆盖整个社区、"
        "不切分楼栋的网格。建议仅为草稿：可采用后继续编辑并保存，也可放弃。",
    },
    "grids.propose.go": {"en": "Propose {n} grids", "zh": "生成 {n} 个网格的建议"},
    "grids.propose.working": {"en": "Grouping buildings…", "zh": "正在分组楼栋……"},
    "grids.propose.grids": {"en": "Proposed grids", "zh": "建议网格数"},
    "grids.propose.smallest": {"en": "Fewest households", "zh": "最少户数"},
    "grids.propose.largest": {"en": "Most households", "zh": "最多户数"},
    "grids.propose.ratio": {"en": "Largest ÷ smallest", "zh": "最多 ÷ 最少"},
    "grids.propose.checked": {
        "en": "Checks of the proposal: {errors} errors, {warnings} warnings (grids without a "
        "worker are expected).",
        "zh": "建议的检查结果：{errors} 个错误，{warnings} 个提醒（新网格尚无网格员属正常）。",
    },
    "grids.propose.accept": {"en": "Use as the draft", "zh": "采用为草稿"},
    "grids.propose.discard": {"en": "Throw away", "zh": "放弃"},
    "grids.propose.accepted": {
        "en": "The {n} proposed grids are the draft now: name them, give them workers, save.",
        "zh": "{n} 个建议网格已成为草稿：请命名、指定网格员后保存。",
    },
    "grids.propose.no_boundary": {
        "en": "The community has no boundary to divide.",
        "zh": "社区没有可划分的边界。",
    },
    "grids.propose.no_buildings": {
        "en": "No building stands inside the community: there is nothing to group.",
        "zh": "社区范围内没有楼栋：无法分组。",
    },
    "grids.propose.bad_n": {
        "en": "Cannot make {n} grids from {buildings} buildings: choose 1 to {buildings}.",
        "zh": "无法用 {buildings} 栋楼划分出 {n} 个网格：请选择 1 到 {buildings}。",
    },
    # --- commands ---------------------------------------------------------------------------------
    "grids.cli.summary": {
        "en": "{community}: {grids} grids, {errors} errors, {warnings} warnings.",
        "zh": "{community}：{grids} 个网格，{errors} 个错误，{warnings} 个提醒。",
    },
    "grids.cli.households": {"en": "Households per grid: {list}", "zh": "各网格户数：{list}"},
    "grids.cli.proposed": {
        "en": "{n} grids proposed for {community}; households from {low} to {high} "
        "(largest ÷ smallest {ratio}).",
        "zh": "已为 {community} 生成 {n} 个网格的建议；户数从 {low} 到 {high}"
        "（最多 ÷ 最少 {ratio}）。",
    },
    "grids.cli.written": {"en": "Written to {path}.", "zh": "已写入 {path}。"},
    "grids.cli.bad_out": {
        "en": "cannot write {name}: use .geojson or .gpkg.",
        "zh": "无法写入 {name}：请使用 .geojson 或 .gpkg。",
    },
    "grids.cli.no_community": {
        "en": "There is no community {community} in the store; the communities are: {known}.",
        "zh": "数据存储中没有社区 {community}；现有社区：{known}。",
    },
}
