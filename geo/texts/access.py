"""Texts of roles and refusals (geo/access.py) and of users (geo/users.py)."""

TEXTS: dict[str, dict[str, str]] = {
    # --- roles -----------------------------------------------------------------
    "role.admin": {"en": "administrator", "zh": "管理员"},
    "role.secretary": {"en": "community secretary", "zh": "社区书记"},
    "role.planner": {"en": "grid planner", "zh": "网格规划员"},
    "role.renovation": {"en": "renovation team", "zh": "改造团队"},
    "role.grid_worker": {"en": "grid worker", "zh": "网格员"},
    "access.unknown_role": {
        "en": "unknown role {role}; the roles are: {roles}",
        "zh": "未知角色 {role}；可用角色：{roles}",
    },
    # --- refusals --------------------------------------------------------------
    "access.other_community": {
        "en": "{user} ({role}) works in another community and may not change community {community}",
        "zh": "{user}（{role}）属于其他社区，不能修改社区 {community} 的数据",
    },
    "access.layer.community": {
        "en": "only an administrator changes community boundaries; {user} is {role}",
        "zh": "只有管理员可以修改社区边界；{user} 的角色是 {role}",
    },
    "access.layer.grids": {
        "en": "only planners and administrators change grids; {user} is {role}",
        "zh": "只有网格规划员和管理员可以修改网格；{user} 的角色是 {role}",
    },
    "access.layer.buildings": {
        "en": "only the renovation team and administrators change buildings; {user} is {role}",
        "zh": "只有改造团队和管理员可以修改楼栋；{user} 的角色是 {role}",
    },
    "access.layer.chargers": {
        "en": "only the renovation team and administrators change chargers; {user} is {role}",
        "zh": "只有改造团队和管理员可以修改充电设施；{user} 的角色是 {role}",
    },
    "access.layer.drying_areas": {
        "en": "only the renovation team and administrators change drying areas; {user} is {role}",
        "zh": "只有改造团队和管理员可以修改晾晒区；{user} 的角色是 {role}",
    },
    "access.layer.reports": {
        "en": "only an administrator imports reports in bulk; {user} is {role}",
        "zh": "只有管理员可以批量导入诉求；{user} 的角色是 {role}",
    },
    "access.layer.report_events": {
        "en": "only an administrator writes report events directly; {user} is {role}",
        "zh": "只有管理员可以直接写入诉求流转记录；{user} 的角色是 {role}",
    },
    "access.admin_only": {
        "en": "only an administrator may {what}; {user} is {role}",
        "zh": "只有管理员可以{what}；{user} 的角色是 {role}",
    },
    "access.what.users": {"en": "manage users", "zh": "管理用户"},
    "access.what.audit": {"en": "read the audit log", "zh": "查看审计日志"},
    "access.what.backup": {"en": "back up or restore the store", "zh": "备份或恢复数据"},
    "access.what.reassign": {"en": "reassign every report", "zh": "重新分配全部诉求"},
    "access.report_create": {
        "en": "only grid workers and administrators log reports; {user} is {role}",
        "zh": "只有网格员和管理员可以登记诉求；{user} 的角色是 {role}",
    },
    "access.report_change": {
        "en": "only grid workers and administrators move reports; {user} is {role}",
        "zh": "只有网格员和管理员可以办理诉求；{user} 的角色是 {role}",
    },
    "access.report_other_grid": {
        "en": "report {report_id} is in grid {grid}, which is not one of {user}'s grids; "
        "a grid worker moves the reports of their own grids",
        "zh": "诉求 {report_id} 属于网格 {grid}，不是 {user} 负责的网格；"
        "网格员只能办理本网格的诉求",
    },
    "access.private_export": {
        "en": "only secretaries and administrators export residents' names and phone numbers; "
        "{user} is {role}",
        "zh": "只有社区书记和管理员可以导出居民姓名和电话；{user} 的角色是 {role}",
    },
    # --- users -----------------------------------------------------------------
    "users.bad_name": {
        "en": "a user name is 1 to 64 letters, digits, dots, dashes or underscores; "
        "{name!r} is not",
        "zh": "用户名须为 1 到 64 个字母、数字、点、连字符或下划线；{name!r} 不符合",
    },
    "users.exists": {
        "en": "user {name} already exists",
        "zh": "用户 {name} 已存在",
    },
    "users.unknown": {
        "en": "there is no user {name}",
        "zh": "没有用户 {name}",
    },
    "users.short_password": {
        "en": "the password must have at least {n} characters",
        "zh": "密码至少需要 {n} 个字符",
    },
    "users.passwords_differ": {
        "en": "the two passwords differ; nothing was changed",
        "zh": "两次输入的密码不一致；未做任何修改",
    },
    "users.no_password": {
        "en": "no password on standard input; nothing was changed",
        "zh": "标准输入中没有密码；未做任何修改",
    },
    "users.prompt": {"en": "Password for {name}: ", "zh": "{name} 的密码："},
    "users.prompt_again": {"en": "Again: ", "zh": "再输入一次："},
    "users.added": {
        "en": "user {name} added as {role}",
        "zh": "已添加用户 {name}，角色：{role}",
    },
    "users.disabled": {"en": "user {name} disabled", "zh": "已停用用户 {name}"},
    "users.enabled": {"en": "user {name} enabled", "zh": "已启用用户 {name}"},
    "users.password_set": {
        "en": "password of {name} changed",
        "zh": "已修改 {name} 的密码",
    },
    "users.none": {"en": "no users yet", "zh": "还没有用户"},
    "users.last_admin": {
        "en": "{name} is the last active administrator; add another before disabling it",
        "zh": "{name} 是最后一个启用的管理员；请先添加另一个管理员再停用",
    },
    "users.bad_sign_in": {
        "en": "wrong user name or password",
        "zh": "用户名或密码错误",
    },
    # --- sign-in (geo/session.py) ------------------------------------------------
    "signin.title": {"en": "Sign in", "zh": "登录"},
    "signin.name": {"en": "User name", "zh": "用户名"},
    "signin.password": {"en": "Password", "zh": "密码"},
    "signin.submit": {"en": "Sign in", "zh": "登录"},
    "signin.as": {"en": "Signed in as **{name}** ({role})", "zh": "已登录：**{name}**（{role}）"},
    "signin.sign_out": {"en": "Sign out", "zh": "退出登录"},
    "signin.wait": {
        "en": "Too many wrong passwords: wait {seconds} seconds and try again",
        "zh": "密码错误次数过多：请等待 {seconds} 秒后再试",
    },
    "signin.demo_mode": {
        "en": "Demo mode: this store has no users, so anyone may act in any role. Add a user "
        "with `gridmap users add NAME --role admin` to require sign-in.",
        "zh": "演示模式：此数据存储还没有用户，任何人都可以任意角色操作。"
        "用 `gridmap users add 用户名 --role admin` 添加用户后即需登录。",
    },
    "signin.demo_role": {"en": "Act as (demo)", "zh": "演示角色"},
    "signin.demo_worker": {"en": "Grid worker", "zh": "网格员"},
}
