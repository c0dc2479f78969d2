"""Texts of the Reports page and the report lifecycle: intake, queue, actions, Open311."""

TEXTS: dict[str, dict[str, str]] = {
    "page.reports": {"en": "Reports", "zh": "诉求办理"},
    "reports.view": {"en": "View", "zh": "视图"},
    "reports.view.intake": {"en": "New report", "zh": "登记诉求"},
    "reports.view.queue": {"en": "Queue", "zh": "待办队列"},
    "reports.view.files": {"en": "Import and export", "zh": "导入与导出"},
    "reports.worker_of": {"en": "{name} (grid {grid})", "zh": "{name}（网格 {grid}）"},
    "reports.no_such_report": {
        "en": "There is no report #{id} in this community.",
        "zh": "本社区没有第 {id} 号诉求。",
    },
    # --- roles, sources, levels -------------------------------------------------
    "reports.role.intake": {"en": "community intake", "zh": "社区受理"},
    "reports.role.dispatcher": {"en": "community dispatcher", "zh": "社区调度"},
    "reports.role.grid_office": {"en": "community grid office", "zh": "社区网格办"},
    "reports.role.committee": {"en": "community committee", "zh": "社区居委会"},
    "reports.role.street_office": {"en": "street office", "zh": "街道办"},
    "reports.role.resident": {"en": "resident", "zh": "居民"},
    "reports.level.grid": {"en": "the grid", "zh": "网格"},
    "reports.level.community": {"en": "the community", "zh": "社区"},
    "reports.level.street": {"en": "the street office", "zh": "街道"},
    # --- actions ------------------------------------------------------------------
    "reports.action.accept": {"en": "Accept", "zh": "受理"},
    "reports.action.dispatch": {"en": "Dispatch", "zh": "派单"},
    "reports.action.start": {"en": "Start work", "zh": "开始处理"},
    "reports.action.resolve": {"en": "Resolve", "zh": "办理完成"},
    "reports.action.escalate": {"en": "Escalate", "zh": "上报"},
    "reports.action.close": {"en": "Close with rating", "zh": "评价并办结"},
    "reports.action.reopen": {"en": "Reopen", "zh": "重启"},
    "reports.action.reject": {"en": "Reject", "zh": "不予受理"},
    "reports.action.duplicate": {"en": "Mark duplicate", "zh": "标记为重复"},
    "reports.button.dispatch_to": {"en": "Dispatch to {worker}", "zh": "派给{worker}"},
    "reports.button.escalate_to": {"en": "Escalate to {level}", "zh": "上报{level}"},
    "reports.no_actions": {"en": "nothing (it is final)", "zh": "无（已是最终状态）"},
    # --- lifecycle errors ------------------------------------------------------------
    "reports.illegal": {
        "en": "{action} is not allowed: the report is {state}. Allowed now: {allowed}.",
        "zh": "不能执行“{action}”：该诉求当前状态为“{state}”。当前可以：{allowed}。",
    },
    "reports.unknown_action": {
        "en": "{action} is not an action on reports.",
        "zh": "{action} 不是诉求的办理动作。",
    },
    "reports.state_unknown": {"en": "in an unknown state {value}", "zh": "未知状态 {value}"},
    "reports.escalate_top": {
        "en": "This report is already with the street office; it cannot be escalated further.",
        "zh": "该诉求已上报至街道，无法继续上报。",
    },
    "reports.bad_rating": {
        "en": "Closing needs the resident's rating, 1 to 5 stars (got {value}).",
        "zh": "办结需要居民评价，1 至 5 星（收到的是 {value}）。",
    },
    "reports.bad_original": {
        "en": "A duplicate needs the number of the report it repeats, another report "
        "(got {value}).",
        "zh": "标记重复需要填写所重复的另一件诉求的编号（收到的是 {value}）。",
    },
    "reports.no_grid": {
        "en": "Report #{report_id} lies outside every grid: choose its grid before dispatching it.",
        "zh": "第 {report_id} 号诉求不在任何网格内：请先指定网格再派单。",
    },
    "reports.assign_closed": {
        "en": "Only open reports get a grid by hand; this one is {state}.",
        "zh": "只有未办结的诉求可以手动指定网格；该诉求状态为“{state}”。",
    },
    # --- notes written into the event log (both languages, as the demo) ------------
    "reports.note.dispatched": {
        "en": "Dispatched to {worker} (grid {grid})",
        "zh": "派单至{worker}（网格 {grid}）",
    },
    "reports.note.dispatched_office": {
        "en": "Dispatched to the grid office (grid {grid} has no worker)",
        "zh": "派单至社区网格办（网格 {grid} 暂无网格员）",
    },
    "reports.note.escalated_community": {
        "en": "Escalated to the community",
        "zh": "网格内无法解决，上报社区",
    },
    "reports.note.escalated_street": {
        "en": "Escalated to the street office",
        "zh": "社区无法解决，上报街道",
    },
    "reports.note.rated": {"en": "Resident rated {rating}/5", "zh": "居民评价{rating}星"},
    "reports.note.duplicate_of": {"en": "Duplicate of #{original}", "zh": "与第{original}号重复"},
    "reports.note.assigned_by_hand": {
        "en": "Grid {grid} chosen by hand",
        "zh": "手动指定网格 {grid}",
    },
    # --- intake ------------------------------------------------------------------------
    "reports.intake.hint": {
        "en": "Click the map where the problem is (or pick a building), describe it, and "
        "submit: the report goes to its grid's worker with a due time from its category.",
        "zh": "在地图上点击问题所在位置（或选择楼栋），填写描述后提交：诉求将派给所在网格的"
        "网格员，并按类别确定办理期限。",
    },
    "reports.intake.building": {"en": "Or pick a building", "zh": "或选择楼栋"},
    "reports.intake.no_building": {"en": "(no building chosen)", "zh": "（未选择楼栋）"},
    "reports.intake.click_map": {
        "en": "Click the map to place the report.",
        "zh": "请在地图上点击，确定诉求位置。",
    },
    "reports.intake.place": {
        "en": "Placed at {lon}, {lat} · grid **{grid}** · grid worker **{worker}** · "
        "building {building}",
        "zh": "位置 {lon}, {lat} · 网格 **{grid}** · 网格员 **{worker}** · 楼栋 {building}",
    },
    "reports.intake.outside": {
        "en": "This place ({lon}, {lat}) is outside every grid. The report will be "
        "kept and listed as unassigned; choose its grid in the queue.",
        "zh": "该位置（{lon}, {lat}）不在任何网格内。诉求会被保存并列为未分配，"
        "请在待办队列中为它指定网格。",
    },
    "reports.intake.submit": {"en": "Submit report", "zh": "提交诉求"},
    "reports.intake.no_place": {
        "en": "Place the report: click the map or pick a building.",
        "zh": "请确定诉求位置：在地图上点击或选择楼栋。",
    },
    "reports.intake.bad_place": {
        "en": "The place is not a longitude and latitude on Earth.",
        "zh": "位置不是有效的经纬度。",
    },
    "reports.intake.bad_category": {
        "en": "{value} is not a report category.",
        "zh": "{value} 不是诉求类别。",
    },
    "reports.intake.bad_source": {
        "en": "{value} is not a channel reports come in by.",
        "zh": "{value} 不是诉求来源渠道。",
    },
    "reports.intake.no_description": {
        "en": "Describe the problem in a few words.",
        "zh": "请简要描述问题。",
    },
    "reports.intake.long_description": {
        "en": "The description has {n} characters; at most {limit} are kept.",
        "zh": "描述共 {n} 个字符，最多 {limit} 个。",
    },
    "reports.intake.long_name": {
        "en": "The reporter's name is longer than {limit} characters.",
        "zh": "反映人姓名超过 {limit} 个字符。",
    },
    "reports.intake.bad_phone": {
        "en": "{value} is not a phone number (digits, spaces, +, - and brackets).",
        "zh": "{value} 不是电话号码（只能包含数字、空格、+、- 和括号）。",
    },
    "reports.intake.not_saved": {
        "en": "The report was not saved; try again.",
        "zh": "诉求未能保存，请重试。",
    },
    "reports.intake.open_saved": {
        "en": "Open report #{id} in the queue",
        "zh": "在待办队列中打开第 {id} 号诉求",
    },
    "reports.field.category": {"en": "Category", "zh": "类别"},
    "reports.field.description": {"en": "Description", "zh": "问题描述"},
    "reports.field.source": {"en": "Channel", "zh": "来源渠道"},
    "reports.field.reporter_name": {"en": "Reporter's name", "zh": "反映人姓名"},
    "reports.field.reporter_phone": {"en": "Reporter's phone", "zh": "反映人电话"},
    "reports.field.photo": {"en": "Photo (optional)", "zh": "照片（可选）"},
    "reports.field.photo_help": {
        "en": "JPEG, PNG, WebP, GIF or BMP, at most 5 MB. Location and camera data are "
        "removed before it is stored.",
        "zh": "JPEG、PNG、WebP、GIF 或 BMP，不超过 5 MB。保存前会删除位置和相机信息。",
    },
    "reports.field.note": {"en": "Note", "zh": "备注"},
    "reports.map.placed": {"en": "The new report", "zh": "新诉求位置"},
    # --- duplicates ----------------------------------------------------------------------
    "reports.dup.found": {
        "en": "{n} open report(s) of this category within {radius} m from the last {days} "
        "days. Is the new one a duplicate?",
        "zh": "{radius} 米内、最近 {days} 天有 {n} 件同类未办结诉求。新诉求是否重复？",
    },
    "reports.dup.candidate": {
        "en": "**#{id}** · {distance} m away · {created} · {status} · {description}",
        "zh": "**#{id}** · 相距 {distance} 米 · {created} · {status} · {description}",
    },
    "reports.dup.link": {"en": "Link as duplicate of #{id}", "zh": "作为第 {id} 号的重复件"},
    "reports.dup.save_new": {
        "en": "Not a duplicate: save as a new report",
        "zh": "不是重复：作为新诉求保存",
    },
    "reports.dup.settings": {"en": "Duplicate check", "zh": "重复检查"},
    "reports.dup.radius": {"en": "Within (metres)", "zh": "距离（米）以内"},
    "reports.dup.days": {"en": "From the last (days)", "zh": "最近（天）"},
    "reports.config.radius": {
        "en": "GRIDMAP_DUPLICATE_RADIUS_M must be a number of metres from 0 to {limit}, "
        "not {value}.",
        "zh": "GRIDMAP_DUPLICATE_RADIUS_M 应为 0 至 {limit} 的米数，而不是 {value}。",
    },
    "reports.config.days": {
        "en": "GRIDMAP_DUPLICATE_DAYS must be a whole number of days from 0 to {limit}, "
        "not {value}.",
        "zh": "GRIDMAP_DUPLICATE_DAYS 应为 0 至 {limit} 的整数天数，而不是 {value}。",
    },
    # --- saved ---------------------------------------------------------------------------
    "reports.saved.dispatched": {
        "en": "Report #{id} saved: grid {grid}, building {building}; dispatched to {worker}, "
        "due {due}.",
        "zh": "第 {id} 号诉求已保存：网格 {grid}，楼栋 {building}；已派给{worker}，"
        "办理期限 {due}。",
    },
    "reports.saved.unassigned": {
        "en": "Report #{id} saved and accepted, due {due}. It lies outside every grid, so it "
        "is listed as unassigned: choose its grid in the queue.",
        "zh": "第 {id} 号诉求已保存并受理，办理期限 {due}。该位置不在任何网格内，已列为未分配："
        "请在待办队列中为它指定网格。",
    },
    "reports.saved.duplicate": {
        "en": "Report #{id} saved and linked as a duplicate of #{original}.",
        "zh": "第 {id} 号诉求已保存，并作为第 {original} 号的重复件。",
    },
    # --- queue ---------------------------------------------------------------------------
    "reports.filter.grid": {"en": "Grid", "zh": "网格"},
    "reports.filter.worker": {"en": "Grid worker", "zh": "网格员"},
    "reports.filter.status": {"en": "Status", "zh": "状态"},
    "reports.filter.category": {"en": "Categories", "zh": "类别"},
    "reports.filter.overdue": {"en": "Overdue only", "zh": "仅看超期"},
    "reports.filter.all": {"en": "All", "zh": "全部"},
    "reports.filter.unassigned": {"en": "Unassigned", "zh": "未分配网格"},
    "reports.queue.count": {
        "en": "{n} reports, {overdue} overdue, soonest due first.",
        "zh": "共 {n} 件，其中超期 {overdue} 件，按办理期限排序。",
    },
    "reports.queue.unassigned_waiting": {
        "en": "{n} open report(s) lie outside every grid and wait for a grid: choose "
        '"Unassigned" under Grid.',
        "zh": "有 {n} 件未办结诉求不在任何网格内，等待指定网格：在“网格”中选择“未分配网格”。",
    },
    "reports.queue.open": {"en": "Open report", "zh": "打开诉求"},
    "reports.queue.none_open": {"en": "(choose a report)", "zh": "（选择诉求）"},
    "reports.queue.choose": {
        "en": "Choose a report in the table or the list to see it and move it on.",
        "zh": "在表格或列表中选择一件诉求，查看并办理。",
    },
    "reports.col.id": {"en": "#", "zh": "编号"},
    "reports.col.due": {"en": "Due", "zh": "办理期限"},
    "reports.col.overdue": {"en": "Overdue", "zh": "超期"},
    "reports.col.status": {"en": "Status", "zh": "状态"},
    "reports.col.category": {"en": "Category", "zh": "类别"},
    "reports.col.grid": {"en": "Grid", "zh": "网格"},
    "reports.col.building": {"en": "Building", "zh": "楼栋"},
    "reports.col.assignee": {"en": "Assigned to", "zh": "处理人"},
    "reports.col.created": {"en": "Created", "zh": "上报时间"},
    "reports.col.description": {"en": "Description", "zh": "描述"},
    # --- one report ----------------------------------------------------------------------
    "reports.detail.title": {
        "en": "#{id} · {category} · {status}",
        "zh": "#{id} · {category} · {status}",
    },
    "reports.detail.overdue": {
        "en": "Overdue: it was due {due}.",
        "zh": "已超期：办理期限为 {due}。",
    },
    "reports.detail.by_hand": {"en": "(chosen by hand)", "zh": "（手动指定）"},
    "reports.detail.level": {"en": "Escalated to", "zh": "已上报至"},
    "reports.detail.duplicate_of": {"en": "Duplicate of", "zh": "重复于"},
    "reports.detail.rating": {"en": "Resident's rating", "zh": "居民评价"},
    "reports.detail.closed_at": {"en": "Finished", "zh": "办结时间"},
    "reports.detail.reporter": {"en": "Reporter", "zh": "反映人"},
    "reports.detail.masked": {
        "en": "masked: only the office and the assigned worker see it",
        "zh": "已隐藏：仅社区工作人员和承办网格员可见",
    },
    "reports.detail.photos": {"en": "Photos", "zh": "照片"},
    "reports.detail.add_photo": {"en": "Add a photo", "zh": "添加照片"},
    "reports.detail.save_photo": {"en": "Save the photo", "zh": "保存照片"},
    "reports.detail.photo_saved": {
        "en": "Photo saved with report #{id}.",
        "zh": "照片已保存到第 {id} 号诉求。",
    },
    "reports.detail.history": {"en": "History", "zh": "办理记录"},
    "reports.detail.no_history": {"en": "No events recorded.", "zh": "暂无办理记录。"},
    "reports.detail.unassigned": {
        "en": "This report lies outside every grid. Choose the grid that should handle it.",
        "zh": "该诉求不在任何网格内，请指定负责的网格。",
    },
    "reports.detail.choose_grid": {"en": "Grid", "zh": "网格"},
    "reports.detail.assign": {"en": "Assign to grid {grid}", "zh": "指定给网格 {grid}"},
    "reports.detail.assigned": {
        "en": "Report #{id} now belongs to grid {grid}; dispatch it to the grid's worker.",
        "zh": "第 {id} 号诉求已归入网格 {grid}，请派单给该网格的网格员。",
    },
    "reports.detail.final": {
        "en": "This report is {state}: nothing more to do.",
        "zh": "该诉求状态为“{state}”，无需继续办理。",
    },
    "reports.detail.next": {"en": "Next step", "zh": "下一步"},
    "reports.detail.stale": {
        "en": "Report #{id} was changed by someone else meanwhile, so nothing was done. "
        "It is shown below as it is now.",
        "zh": "第 {id} 号诉求已被他人修改，本次操作未执行。下方显示的是它的最新状态。",
    },
    "reports.detail.rating_ask": {
        "en": "Resident's rating (needed to close)",
        "zh": "居民评价（办结时必填）",
    },
    "reports.detail.original": {
        "en": "Duplicate of (nearby open reports)",
        "zh": "重复于（附近未办结诉求）",
    },
    "reports.detail.original_pick": {"en": "(choose)", "zh": "（请选择）"},
    "reports.detail.original_option": {
        "en": "#{id}, {distance} m away",
        "zh": "#{id}，相距 {distance} 米",
    },
    "reports.detail.original_number": {
        "en": "…or its number",
        "zh": "……或填写编号",
    },
    "reports.detail.done": {
        "en": "Report #{id}: “{action}” done; it is now {state}.",
        "zh": "第 {id} 号诉求：已执行“{action}”，当前状态为“{state}”。",
    },
    # --- photos ----------------------------------------------------------------------------
    "reports.photo.empty": {"en": "{name} is empty.", "zh": "{name} 是空文件。"},
    "reports.photo.too_large": {
        "en": "{name} is {size} MB; a photo may be at most {limit} MB.",
        "zh": "{name} 大小为 {size} MB，照片不能超过 {limit} MB。",
    },
    "reports.photo.not_image": {
        "en": "{name} is not a photo this program can read ({reason}). Use JPEG, PNG, WebP, "
        "GIF or BMP.",
        "zh": "{name} 不是可读取的照片（{reason}）。请使用 JPEG、PNG、WebP、GIF 或 BMP。",
    },
    "reports.photo.unknown_format": {
        "en": "not an image format it knows",
        "zh": "无法识别的图片格式",
    },
    "reports.photo.too_many_pixels": {
        "en": "{name} is {width}×{height} pixels, too large to open safely.",
        "zh": "{name} 为 {width}×{height} 像素，过大，无法安全打开。",
    },
    # --- files -----------------------------------------------------------------------------
    "reports.files.import": {"en": "Import reports", "zh": "导入诉求"},
    "reports.files.import_help": {
        "en": "CSV, Excel, GeoJSON, or Open311 GeoReport v2 JSON, its columns taken by their "
        "usual names (category or 类别, 经度, 纬度…). Reports already stored (the same source "
        "id) are skipped, so importing a file twice adds nothing. To choose columns, status "
        "words or a coordinate system, import on the Data page.",
        "zh": "CSV、Excel、GeoJSON 或 Open311 GeoReport v2 JSON，按常用列名识别各列（类别、经度、"
        "纬度等）。已存在的诉求（来源编号相同）会被跳过，同一文件导入两次不会重复。"
        "如需选择列、状态词或坐标系，请在“数据”页导入。",
    },
    "reports.files.columns": {
        "en": "Columns read by their names: {pairs}.",
        "zh": "按列名识别：{pairs}。",
    },
    "reports.files.file": {"en": "File", "zh": "文件"},
    "reports.files.import_now": {"en": "Import", "zh": "导入"},
    "reports.files.importing": {"en": "Importing…", "zh": "正在导入…"},
    "reports.files.imported": {
        "en": "Imported {imported}, skipped {skipped} already present, rejected {rejected}.",
        "zh": "导入 {imported} 件，跳过已存在 {skipped} 件，拒绝 {rejected} 件。",
    },
    "reports.files.rejects": {
        "en": "Download the rejected rows with their reasons",
        "zh": "下载被拒绝的行及原因",
    },
    "reports.files.export": {"en": "Export reports", "zh": "导出诉求"},
    "reports.files.export_help": {
        "en": "Open311 JSON for other systems; the report sheet (CSV or Excel) for the "
        "secretary. Residents' names and phone numbers are masked.",
        "zh": "Open311 JSON 供其他系统使用；诉求台账（CSV 或 Excel）供社区书记使用。"
        "居民姓名和电话已隐藏。",
    },
    "reports.files.prepare": {"en": "Prepare the files", "zh": "生成文件"},
    "reports.files.open311": {"en": "Open311 JSON", "zh": "Open311 JSON"},
    "reports.files.sheet_csv": {"en": "Report sheet (CSV)", "zh": "诉求台账（CSV）"},
    "reports.files.sheet_xlsx": {"en": "Report sheet (Excel)", "zh": "诉求台账（Excel）"},
    # --- the secretary's sheet ------------------------------------------------------------
    "reports.sheet.id": {"en": "id", "zh": "编号"},
    "reports.sheet.category": {"en": "category", "zh": "类别"},
    "reports.sheet.description": {"en": "description", "zh": "描述"},
    "reports.sheet.grid": {"en": "grid", "zh": "网格"},
    "reports.sheet.building": {"en": "building", "zh": "楼栋"},
    "reports.sheet.created": {"en": "created", "zh": "上报时间"},
    "reports.sheet.accepted": {"en": "accepted", "zh": "受理时间"},
    "reports.sheet.dispatched": {"en": "dispatched", "zh": "派单时间"},
    "reports.sheet.resolved": {"en": "resolved", "zh": "办理完成时间"},
    "reports.sheet.closed": {"en": "closed", "zh": "办结时间"},
    "reports.sheet.status": {"en": "status", "zh": "状态"},
    "reports.sheet.days_open": {"en": "days open", "zh": "办理天数"},
    "reports.sheet.overdue": {"en": "overdue", "zh": "是否超期"},
    "reports.sheet.rating": {"en": "rating", "zh": "评价"},
    "reports.sheet.yes": {"en": "yes", "zh": "是"},
    "reports.sheet.no": {"en": "no", "zh": "否"},
    # --- Open311 ---------------------------------------------------------------------------
    "reports.open311.not_json": {
        "en": "{name} is not JSON (line {line}: {reason}).",
        "zh": "{name} 不是 JSON 文件（第 {line} 行：{reason}）。",
    },
    "reports.open311.not_utf8": {
        "en": "{name} is not UTF-8 text, as Open311 JSON must be.",
        "zh": "{name} 不是 UTF-8 文本，Open311 JSON 必须使用 UTF-8。",
    },
    "reports.open311.not_requests": {
        "en": "{name} holds no Open311 service requests (a JSON list of requests is expected).",
        "zh": "{name} 中没有 Open311 服务请求（应为请求组成的 JSON 列表）。",
    },
    "reports.open311.reason.not_object": {
        "en": "not a service request (a JSON object is expected)",
        "zh": "不是服务请求（应为 JSON 对象）",
    },
    "reports.open311.reason.no_service_code": {
        "en": "no service_code",
        "zh": "缺少 service_code",
    },
    "reports.open311.reason.no_location": {
        "en": "no location: lat and long are missing (an address alone cannot be placed on "
        "the map)",
        "zh": "没有位置：缺少 lat 和 long（仅有地址无法定位到地图上）",
    },
    "reports.cli.format_layer": {
        "en": "--format {format} is for the reports layer only, not {layer}.",
        "zh": "--format {format} 只适用于 reports 图层，不适用于 {layer}。",
    },
}
